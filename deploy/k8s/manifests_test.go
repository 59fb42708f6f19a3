// Package k8s holds the Kubernetes manifests; its test keeps them valid.
package k8s

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gradzone/gradzone/internal/config"
)

// kustomization is the part of kustomize's Kustomization these files use;
// decoding it strictly catches a misspelt key as surely as for the others.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Labels     []struct {
		Pairs map[string]string `json:"pairs"`
	} `json:"labels"`
	ConfigMapGenerator []struct {
		Name string   `json:"name"`
		Envs []string `json:"envs"`
	} `json:"configMapGenerator"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName"`
		NewTag  string `json:"newTag"`
	} `json:"images"`
}

// typed gives, for each apiVersion/kind used here, the Go type it must
// decode into.
var typed = map[string]func() any{
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"batch/v1/Job":                           func() any { return &batchv1.Job{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
}

func readKustomization(t *testing.T) kustomization {
	t.Helper()
	raw, err := os.ReadFile("kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var k kustomization
	if err := yaml.UnmarshalStrict(raw, &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	if k.Kind != "Kustomization" || k.APIVersion != "kustomize.config.k8s.io/v1beta1" {
		t.Fatalf("kustomization.yaml: kind %q apiVersion %q", k.Kind, k.APIVersion)
	}
	return k
}

// decodeAll decodes every listed manifest strictly: an unknown or misspelt
// field fails, as does a kind this test does not know.
func decodeAll(t *testing.T) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, f := range readKustomization(t).Resources {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("listed resource %s: %v", f, err)
		}
		for i, doc := range bytes.Split(raw, []byte("\n---")) {
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var tm metav1.TypeMeta
			if err := yaml.Unmarshal(doc, &tm); err != nil {
				t.Fatalf("%s #%d: %v", f, i, err)
			}
			newObj, ok := typed[tm.APIVersion+"/"+tm.Kind]
			if !ok {
				t.Fatalf("%s #%d: %s/%s has no decoder in this test; add one", f, i, tm.APIVersion, tm.Kind)
			}
			obj := newObj()
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Fatalf("%s #%d (%s): %v", f, i, tm.Kind, err)
			}
			out[tm.Kind+"/"+reflect.ValueOf(obj).Elem().FieldByName("ObjectMeta").Interface().(metav1.ObjectMeta).Name] = obj
		}
	}
	for _, g := range readKustomization(t).ConfigMapGenerator {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: g.Name}, Data: map[string]string{}}
		for _, f := range g.Envs {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("generated ConfigMap %s: %v", g.Name, err)
			}
			// kustomize's env files: KEY=VALUE lines, # comments, the value
			// as written (no quotes).
			for _, line := range strings.Split(string(raw), "\n") {
				if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					t.Fatalf("%s: %q is no KEY=VALUE line", f, line)
				}
				cm.Data[k] = v
			}
		}
		out["ConfigMap/"+g.Name] = cm
	}
	return out
}

func TestManifestsDecodeStrictly(t *testing.T) {
	objs := decodeAll(t)
	for _, want := range []string{"Deployment/gradzone", "HorizontalPodAutoscaler/gradzone",
		"PodDisruptionBudget/gradzone", "Service/gradzone", "ConfigMap/gradzone-config"} {
		if objs[want] == nil {
			t.Errorf("missing %s", want)
		}
	}
}

// The strict decoder must really refuse an unknown field, or the test above
// proves nothing.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	doc := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n  replica: 2\n")
	if err := yaml.UnmarshalStrict(doc, &appsv1.Deployment{}); err == nil {
		t.Fatal("a misspelt field was accepted")
	}
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	k := readKustomization(t)
	files, _ := filepath.Glob("*.yaml")
	files2, _ := filepath.Glob("*.yml")
	files = append(files, files2...)
	for _, f := range files {
		if f != "kustomization.yaml" && !slices.Contains(k.Resources, f) {
			t.Errorf("%s is not listed in kustomization.yaml resources", f)
		}
	}
	seen := map[string]bool{}
	for _, r := range k.Resources {
		if seen[r] {
			t.Errorf("%s listed twice", r)
		}
		seen[r] = true
	}
}

func TestDeploymentWiring(t *testing.T) {
	objs := decodeAll(t)
	d := objs["Deployment/gradzone"].(*appsv1.Deployment)
	job := migrateJob(t, objs)
	svc := objs["Service/gradzone"].(*corev1.Service)
	hpa := objs["HorizontalPodAutoscaler/gradzone"].(*autoscalingv2.HorizontalPodAutoscaler)
	pdb := objs["PodDisruptionBudget/gradzone"].(*policyv1.PodDisruptionBudget)
	cm := objs["ConfigMap/gradzone-config"].(*corev1.ConfigMap)

	c := d.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Error("readiness must probe /readyz")
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Error("liveness must probe /healthz (not /readyz: an outage would restart every pod)")
	}
	if !slices.Equal(c.Args, []string{"serve"}) || !slices.Equal(job.Spec.Template.Spec.Containers[0].Args, []string{"migrate"}) {
		t.Error("the Deployment serves and the Job migrates")
	}
	// A new release's pods wait for the Job instead of exiting on the
	// older schema (and restarting with a back-off of minutes).
	if init := d.Spec.Template.Spec.InitContainers; len(init) != 1 || init[0].Image != c.Image || len(init[0].Args) != 3 ||
		!slices.Equal(init[0].Args[:2], []string{"migrate", "--wait"}) || !reflect.DeepEqual(init[0].EnvFrom, c.EnvFrom) {
		t.Error("the pods must wait for the migrations in an init step (migrate --wait), with the app's image and settings")
	}
	// Pods are selected by the labels they carry.
	sel := d.Spec.Selector.MatchLabels
	for name, s := range map[string]map[string]string{"Service": svc.Spec.Selector, "PDB": pdb.Spec.Selector.MatchLabels, "template": d.Spec.Template.Labels} {
		for k, v := range s {
			if d.Spec.Template.Labels[k] != v {
				t.Errorf("%s selects %s=%s, which the pods do not carry", name, k, v)
			}
		}
		if name == "template" {
			for k, v := range sel {
				if s[k] != v {
					t.Errorf("Deployment selector %s=%s not on its template", k, v)
				}
			}
		}
	}
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != d.Name || hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 {
		t.Error("the HPA must scale this Deployment and keep at least two pods")
	}
	// The pods read the settings and the Secret; the migration Job the
	// Secret only: the generated ConfigMap's name changes with each edit,
	// and a Job's pod template cannot (a review: a settings edit made
	// `kubectl apply -k` fail while the release's Job was kept).
	for name, spec := range map[string]corev1.PodSpec{"Deployment": d.Spec.Template.Spec, "Job": job.Spec.Template.Spec} {
		var cmRef, secRef bool
		for _, e := range spec.Containers[0].EnvFrom {
			cmRef = cmRef || e.ConfigMapRef != nil && e.ConfigMapRef.Name == cm.Name
			secRef = secRef || e.SecretRef != nil && e.SecretRef.Name == "gradzone-secrets"
		}
		if !secRef || cmRef != (name == "Deployment") {
			t.Errorf("%s: settings from %s %v (want %v), from gradzone-secrets %v", name, cm.Name, cmRef, name == "Deployment", secRef)
		}
	}
	// Every ConfigMap key is a setting the binary reads, and none is secret.
	known := configKeys()
	for k := range cm.Data {
		if !known[k] {
			t.Errorf("ConfigMap key %s is no GRADZONE_ setting (typo?)", k)
		}
		if strings.Contains(k, "SECRET") || strings.Contains(k, "PASSWORD") || k == "GRADZONE_DATABASE_URL" || k == "GRADZONE_SMTP_URL" || k == "GRADZONE_MEILI_KEY" || k == "GRADZONE_S3_ACCESS_KEY" {
			t.Errorf("%s belongs in the Secret, not the ConfigMap", k)
		}
	}
	for _, k := range []string{"GRADZONE_PUBLIC_URL", "GRADZONE_MAIL_FROM", "GRADZONE_S3_ENDPOINT", "GRADZONE_S3_BUCKET", "GRADZONE_S3_REGION"} {
		if cm.Data[k] == "" {
			t.Errorf("ConfigMap lacks %s", k)
		}
	}
}

// configKeys lists GRADZONE_<KEY> for every koanf key of config.Config.
func configKeys() map[string]bool {
	keys := map[string]bool{}
	rt := reflect.TypeFor[config.Config]()
	for i := range rt.NumField() {
		if tag := rt.Field(i).Tag.Get("koanf"); tag != "" {
			keys[fmt.Sprintf("GRADZONE_%s", strings.ToUpper(tag))] = true
		}
	}
	// Read by the binary outside the struct.
	keys["GRADZONE_CONFIG"] = true
	return keys
}

// TestReleaseAndPoolSizing checks what a wrong edit would only show in
// production: the migration Job is renamed with every release (a Job's pod
// template is immutable), it and the job queue bypass PgBouncer, the pods'
// connections fit PgBouncer's, PgBouncer pools by transaction with prepared
// statements tracked, no timeout is sent as a startup parameter PgBouncer
// would refuse, and the trusted proxies parse.
func TestReleaseAndPoolSizing(t *testing.T) {
	objs := decodeAll(t)
	k := readKustomization(t)
	cm := objs["ConfigMap/gradzone-config"].(*corev1.ConfigMap)
	hpa := objs["HorizontalPodAutoscaler/gradzone"].(*autoscalingv2.HorizontalPodAutoscaler)

	var tag string
	for _, img := range k.Images {
		if img.Name == "gradzone" {
			tag = img.NewTag
		}
	}
	if tag == "" || tag == "latest" {
		t.Fatalf("the gradzone image needs a release tag, not %q", tag)
	}
	if objs["Job/gradzone-migrate-"+tag] == nil {
		t.Fatalf("the migration Job must be named gradzone-migrate-%s (the image tag)", tag)
	}
	job := objs["Job/gradzone-migrate-"+tag].(*batchv1.Job)
	direct := false
	for _, e := range job.Spec.Template.Spec.Containers[0].Env {
		direct = direct || e.Name == "GRADZONE_DATABASE_URL" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil &&
			e.ValueFrom.SecretKeyRef.Key == "GRADZONE_DIRECT_DATABASE_URL"
	}
	if !direct {
		t.Error("the migration Job must connect past PgBouncer (GRADZONE_DIRECT_DATABASE_URL)")
	}

	ini := parseINI(objs["ConfigMap/pgbouncer-config"].(*corev1.ConfigMap).Data["pgbouncer.ini"])
	if ini["pool_mode"] != "transaction" {
		t.Errorf("PgBouncer pool_mode %q, want transaction", ini["pool_mode"])
	}
	if n, _ := strconv.Atoi(ini["max_prepared_statements"]); n <= 0 {
		t.Error("pgx prepares statements: PgBouncer needs max_prepared_statements > 0")
	}
	if strings.Contains(ini["ignore_startup_parameters"], "statement_timeout") || strings.Contains(ini["ignore_startup_parameters"], "options") {
		t.Error("ignoring the timeout parameter would drop it silently")
	}
	if !strings.Contains(ini["gradzone"], "statement_timeout") || !strings.Contains(ini["gradzone"], "jit = off") {
		t.Error("PgBouncer must set statement_timeout and jit on its server connections (connect_query)")
	}
	if d, err := time.ParseDuration(cm.Data["GRADZONE_STATEMENT_TIMEOUT"]); err != nil || d != 0 {
		t.Errorf("GRADZONE_STATEMENT_TIMEOUT %q: PgBouncer refuses it as a startup parameter; want 0s", cm.Data["GRADZONE_STATEMENT_TIMEOUT"])
	}
	perPod, err := strconv.Atoi(cm.Data["GRADZONE_DB_MAX_CONNS"])
	if err != nil || perPod < 2 {
		t.Fatalf("GRADZONE_DB_MAX_CONNS %q", cm.Data["GRADZONE_DB_MAX_CONNS"])
	}
	maxClients, _ := strconv.Atoi(ini["max_client_conn"])
	if need := int(hpa.Spec.MaxReplicas) * perPod; need > maxClients {
		t.Errorf("%d pods × %d connections = %d > PgBouncer max_client_conn %d", hpa.Spec.MaxReplicas, perPod, need, maxClients)
	}
	// The primary takes PgBouncer's server connections and the job queues'
	// direct ones; its max_connections (outside these manifests) is the
	// one in docs/scaling.md, less the superuser reserve.
	const primaryConns = 500 - 10
	bouncer := objs["Deployment/pgbouncer"].(*appsv1.Deployment)
	pool, _ := strconv.Atoi(ini["default_pool_size"])
	reserve, _ := strconv.Atoi(ini["reserve_pool_size"])
	jobConns, err := strconv.Atoi(cm.Data["GRADZONE_JOBS_MAX_CONNS"])
	if err != nil || jobConns < 2 {
		t.Fatalf("GRADZONE_JOBS_MAX_CONNS %q", cm.Data["GRADZONE_JOBS_MAX_CONNS"])
	}
	pooled := int(*bouncer.Spec.Replicas) * (pool + reserve)
	if sum := pooled + int(hpa.Spec.MaxReplicas)*jobConns; sum > primaryConns {
		t.Errorf("PgBouncer %d + %d pods × %d job connections = %d > the primary's %d", pooled, hpa.Spec.MaxReplicas, jobConns, sum, primaryConns)
	}
	svc := objs["Service/pgbouncer"].(*corev1.Service)
	if port := strconv.Itoa(int(svc.Spec.Ports[0].Port)); port != ini["listen_port"] {
		t.Errorf("the pgbouncer Service port %s is not PgBouncer's listen_port %s", port, ini["listen_port"])
	}

	// The binary accepts the ConfigMap as it stands (with the Secret's
	// values filled in).
	for k, v := range cm.Data {
		t.Setenv(k, v)
	}
	t.Setenv("GRADZONE_DATABASE_URL", "postgres://gradzone@pgbouncer:6432/gradzone")
	t.Setenv("GRADZONE_JWT_SECRET", "3f9a1c7e5b2d8046e1f7a9c3b5d2e8f4a6c1b9d7")
	c, err := config.Load(filepath.Join(t.TempDir(), "none.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateForServe(nil); err != nil {
		t.Errorf("the ConfigMap's settings: %v", err)
	}
	if c.DBMaxConns != perPod || c.StatementTimeout != 0 {
		t.Errorf("the binary read DB_MAX_CONNS %d, STATEMENT_TIMEOUT %v", c.DBMaxConns, c.StatementTimeout)
	}
	if len(c.ProxyCIDRs()) == 0 {
		t.Error("behind the ingress, GRADZONE_TRUSTED_PROXIES must name its network, or every client shares its address")
	}
}

// TestRolloutsAndLimits checks what a deploy review found would only show
// in production: the Deployment names no replica count, which would undo
// the HPA's at every apply; a pod leaves the endpoints before it stops
// listening, and its grace covers that wait, the requests' drain and the
// job queue's stop; the Go heap is told the pod's memory limit; PgBouncer
// needs nothing written to its read-only root (a unix socket there is
// fatal since 1.19).
func TestRolloutsAndLimits(t *testing.T) {
	objs := decodeAll(t)
	d := objs["Deployment/gradzone"].(*appsv1.Deployment)
	if d.Spec.Replicas != nil {
		t.Errorf("the Deployment sets replicas %d: every apply would undo the HPA's count", *d.Spec.Replicas)
	}
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	var wait int64
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		wait = c.Lifecycle.PreStop.Sleep.Seconds
	}
	if wait < 3 {
		t.Errorf("preStop sleeps %d s: the endpoints still route to a pod that stopped listening", wait)
	}
	// serve: 20 s for the requests in flight, then 10 s for running jobs.
	if grace := pod.TerminationGracePeriodSeconds; grace == nil || *grace < wait+20+10 {
		t.Errorf("terminationGracePeriodSeconds %v < preStop %d + 20 + 10", grace, wait)
	}
	var memLimit, procs string
	for _, e := range c.Env {
		switch e.Name {
		case "GOMEMLIMIT":
			memLimit = e.Value
		case "GOMAXPROCS":
			procs = e.Value
		}
	}
	// With no CPU limit Go counts the node's cores, and the password
	// hashers (half of them, 19 MiB each) would not fit the pod.
	if n, err := strconv.Atoi(procs); c.Resources.Limits.Cpu().IsZero() && (err != nil || n < 1 || n > 4) {
		t.Errorf("GOMAXPROCS %q for a pod with no CPU limit", procs)
	}
	if wait, err := time.ParseDuration(pod.InitContainers[0].Args[2]); err != nil || d.Spec.ProgressDeadlineSeconds == nil ||
		time.Duration(*d.Spec.ProgressDeadlineSeconds)*time.Second <= wait {
		t.Errorf("progressDeadlineSeconds %v within the init step's wait for migrations (%v)", d.Spec.ProgressDeadlineSeconds, pod.InitContainers[0].Args)
	}
	limit := c.Resources.Limits.Memory().Value()
	if mib, ok := strings.CutSuffix(memLimit, "MiB"); !ok || limit == 0 {
		t.Errorf("GOMEMLIMIT %q with a memory limit of %d bytes", memLimit, limit)
	} else if n, _ := strconv.ParseInt(mib, 10, 64); n<<20 >= limit*9/10 || n<<20 < limit/2 {
		t.Errorf("GOMEMLIMIT %s for a limit of %d MiB: want some headroom below it", memLimit, limit>>20)
	}
	// Every request passes PgBouncer: a drain must leave one of its pods.
	bouncer := objs["Deployment/pgbouncer"].(*appsv1.Deployment)
	if pdb, ok := objs["PodDisruptionBudget/pgbouncer"].(*policyv1.PodDisruptionBudget); !ok || pdb.Spec.MaxUnavailable == nil ||
		pdb.Spec.MaxUnavailable.IntValue() >= int(*bouncer.Spec.Replicas) || !reflect.DeepEqual(pdb.Spec.Selector.MatchLabels, bouncer.Spec.Selector.MatchLabels) {
		t.Error("PgBouncer needs a PodDisruptionBudget that keeps one of its pods")
	}
	ini := parseINI(objs["ConfigMap/pgbouncer-config"].(*corev1.ConfigMap).Data["pgbouncer.ini"])
	if dir, set := ini["unix_socket_dir"]; !set || dir != "" {
		t.Errorf("pgbouncer.ini unix_socket_dir %q (set: %v): its root file system is read-only", dir, set)
	}
}

// A deploy review: the Dockerfile copied cmd, internal, migrations and web
// into the build, and the binary had come to import api/ (the OpenAPI file
// it serves) as well, so no image could be built. Every folder of the
// module the binary is built from is copied into the build stage.
func TestDockerfileCopiesWhatTheBinaryImports(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	stage := 0
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && strings.EqualFold(f[0], "FROM"):
			stage++
		case stage == 1 && len(f) >= 3 && strings.EqualFold(f[0], "COPY") && !strings.HasPrefix(f[1], "--"):
			for _, src := range f[1 : len(f)-1] {
				copied[strings.Trim(src, "./")] = true
			}
		}
	}
	root, _ := filepath.Abs("../..")
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", "./cmd/gradzone")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dir := range strings.Fields(string(out)) {
		rel, _ := filepath.Rel(root, dir)
		if top := strings.Split(filepath.ToSlash(rel), "/")[0]; !copied[top] && !copied[""] {
			t.Errorf("the binary builds from %s, which the Dockerfile's build stage does not copy", rel)
		}
	}
}

// parseINI reads key = value lines (sections and comments ignored): enough
// for pgbouncer.ini, whose keys are unique across its two sections.
func parseINI(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '[' || line[0] == ';' || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

// migrateJob is the one migration Job, whatever release it is named for.
func migrateJob(t *testing.T, objs map[string]any) *batchv1.Job {
	t.Helper()
	for name, o := range objs {
		if strings.HasPrefix(name, "Job/gradzone-migrate-") {
			return o.(*batchv1.Job)
		}
	}
	t.Fatal("no gradzone-migrate-<tag> Job")
	return nil
}
