package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) hiringRoutes(r *gin.RouterGroup) {
	r.POST("/openings/:id/applications", roles(domain.RoleGraduate), a.apply)
	r.GET("/applications", signedIn, a.listApplications)
	r.GET("/applications/:id", signedIn, a.getApplication)
	r.POST("/applications/:id/transitions", signedIn, a.transition)
	r.POST("/applications/bulk-transitions", roles(domain.RoleEmployer), a.bulkTransition)
	r.GET("/placements", signedIn, a.listPlacements)
	r.POST("/placements/:id/revoke", roles(staff...), a.revokePlacement)

	r.PATCH("/me/profile", roles(domain.RoleGraduate), a.updateProfile)
	r.POST("/me/resume", roles(domain.RoleGraduate), a.uploadResume)
	r.GET("/graduates/:id/resume", signedIn, a.downloadResume)
}

type applyRequest struct {
	CoverLetter string `json:"cover_letter"`
}

func (a *API) apply(c *gin.Context) {
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(c, &domain.Error{Code: domain.CodeTooLarge, Message: "the request body is too large"})
			return
		}
		fail(c, &domain.Error{Code: domain.CodeInvalidJSON, Message: "could not read the request body"})
		return
	}
	var req applyRequest
	if len(strings.TrimSpace(string(raw))) > 0 {
		c.Request.Body = io.NopCloser(strings.NewReader(string(raw)))
		if err := decode(c, &req); err != nil {
			fail(c, err)
			return
		}
	}
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if len(key) > 200 {
		fail(c, domain.FieldError("Idempotency-Key", "must be at most 200 characters"))
		return
	}
	sum := sha256.Sum256([]byte(c.Param("id") + "\x00" + req.CoverLetter))
	app, replayed, err := a.Store.Apply(c.Request.Context(), caller(c), domain.ApplyRequest{
		OpeningID: c.Param("id"), CoverLetter: req.CoverLetter, IdempotencyKey: key, RequestHash: hex.EncodeToString(sum[:]),
		TrackingCode: trackingCode(c),
	})
	if err != nil {
		fail(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusCreated, app)
}

// trackingCode is the event link the graduate came through: ?via= on the
// request, else the cookie the tracked link set.
func trackingCode(c *gin.Context) string {
	if v := c.Query("via"); v != "" {
		return v
	}
	v, _ := c.Cookie("gz_via")
	return v
}

func (a *API) listApplications(c *gin.Context) {
	p, err := paging(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := domain.ApplicationFilter{OpeningID: c.Query("opening_id"), Status: c.Query("status"), StaleOnly: c.Query("stale") == "true"}
	if f.Status != "" && !domain.OneOf(f.Status, domain.ApplicationStatuses) {
		fail(c, domain.FieldError("status", "unknown application status"))
		return
	}
	items, total, err := a.Store.Applications(c.Request.Context(), caller(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, list(items, total, p))
}

func (a *API) getApplication(c *gin.Context) {
	app, err := a.Store.Application(c.Request.Context(), caller(c), c.Param("id"))
	reply(c, http.StatusOK, app, err)
}

type transitionRequest struct {
	To      string `json:"to"`
	Note    string `json:"note"`
	HiredOn string `json:"hired_on"`
}

func (a *API) transition(c *gin.Context) {
	var req transitionRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	app, err := a.Store.Transition(c.Request.Context(), caller(c), c.Param("id"),
		domain.Transition{To: req.To, Note: strings.TrimSpace(req.Note), HiredOn: req.HiredOn})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, app)
}

type bulkRequest struct {
	IDs  []string `json:"ids"`
	To   string   `json:"to"`
	Note string   `json:"note"`
}

type bulkResult struct {
	ID     string       `json:"id"`
	Status string       `json:"status,omitempty"`
	Error  *errorDetail `json:"error,omitempty"`
}

// bulkTransition moves many applications; each move is its own transaction,
// recorded and notified one by one, and reported one by one.
func (a *API) bulkTransition(c *gin.Context) {
	var req bulkRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	var v domain.Validation
	v.Check(len(req.IDs) >= 1 && len(req.IDs) <= 100, "ids", "must list 1 to 100 applications")
	v.Check(req.To == domain.AppShortlisted || req.To == domain.AppRejected || req.To == domain.AppInterview, "to", "bulk moves are shortlisted, interview or rejected")
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	results := make([]bulkResult, 0, len(req.IDs))
	for _, id := range req.IDs {
		app, err := a.Store.Transition(c.Request.Context(), caller(c), id, domain.Transition{To: req.To, Note: strings.TrimSpace(req.Note)})
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				fail(c, err)
				return
			}
			results = append(results, bulkResult{ID: id, Error: &errorDetail{Code: de.Code, Message: de.Message, Fields: de.Fields}})
			continue
		}
		results = append(results, bulkResult{ID: id, Status: app.Status})
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

func (a *API) listPlacements(c *gin.Context) {
	p, err := paging(c)
	if err != nil {
		fail(c, err)
		return
	}
	var v domain.Validation
	f := domain.PlacementFilter{Zone: c.Query("zone"), Province: c.Query("province"), Status: c.Query("status"),
		Year: queryInt(c, &v, "year", 0, 2000, 2100), Month: queryInt(c, &v, "month", 0, 1, 12)}
	v.Check(f.Status == "" || f.Status == "active" || f.Status == "revoked", "status", "must be active or revoked")
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	items, total, err := a.Store.Placements(c.Request.Context(), caller(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, list(items, total, p))
}

func (a *API) revokePlacement(c *gin.Context) {
	var req reasonRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	pl, err := a.Store.RevokePlacement(c.Request.Context(), caller(c), c.Param("id"), strings.TrimSpace(req.Reason))
	reply(c, http.StatusOK, pl, err)
}

func (a *API) updateProfile(c *gin.Context) {
	var p domain.ProfilePatch
	if err := decode(c, &p); err != nil {
		fail(c, err)
		return
	}
	me, err := a.Store.UpdateProfile(c.Request.Context(), caller(c), p)
	reply(c, http.StatusOK, me, err)
}

// uploadResume stores a PDF (checked by content, at most 5 MB) under a random
// name in the upload folder; it is served only through downloadResume.
func (a *API) uploadResume(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(c, &domain.Error{Code: domain.CodeTooLarge, Message: "the résumé must be at most 5 MB"})
			return
		}
		fail(c, domain.FieldError("file", "send the PDF as multipart form field \"file\""))
		return
	}
	if fh.Size > domain.MaxResumeBytes {
		fail(c, &domain.Error{Code: domain.CodeTooLarge, Message: "the résumé must be at most 5 MB"})
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, domain.MaxResumeBytes+1))
	if err != nil {
		fail(c, err)
		return
	}
	if !domain.IsPDF(content) {
		fail(c, domain.FieldError("file", "must be a PDF document"))
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	name := hex.EncodeToString(b) + ".pdf"
	if err := os.MkdirAll(a.UploadDir, 0o750); err != nil {
		fail(c, err)
		return
	}
	if err := os.WriteFile(filepath.Join(a.UploadDir, name), content, 0o640); err != nil {
		fail(c, err)
		return
	}
	prev, err := a.Store.SetResume(c.Request.Context(), caller(c), name)
	if err != nil {
		_ = os.Remove(filepath.Join(a.UploadDir, name))
		fail(c, err)
		return
	}
	if prev != "" {
		_ = os.Remove(filepath.Join(a.UploadDir, filepath.Base(prev)))
	}
	c.JSON(http.StatusCreated, gin.H{"has_resume": true, "size": len(content)})
}

func (a *API) downloadResume(c *gin.Context) {
	name, err := a.Store.ResumeFile(c.Request.Context(), caller(c), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	path := filepath.Join(a.UploadDir, filepath.Base(name))
	data, err := os.ReadFile(path)
	if err != nil {
		fail(c, domain.ErrNotFound)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="resume.pdf"`)
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Length", strconv.Itoa(len(data)))
	c.Data(http.StatusOK, "application/pdf", data)
}
