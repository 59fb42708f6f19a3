package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) hiringRoutes(r *gin.RouterGroup) {
	r.POST("/openings/:id/applications", roles(domain.RoleGraduate), a.apply)
	r.GET("/applications", signedIn, withPage(a.listApplications))
	r.GET("/applications/:id", signedIn, a.getApplication)
	r.POST("/applications/:id/transitions", signedIn, withBody(a.transition))
	r.POST("/applications/:id/interview-slots/:slot_id/pick", roles(domain.RoleGraduate), a.pickInterviewSlot)
	r.PUT("/applications/:id/interview", roles(domain.RoleEmployer), withBody(a.changeInterview))
	r.POST("/applications/bulk-transitions", roles(domain.RoleEmployer), withBody(a.bulkTransition))
	r.GET("/placements", signedIn, withPage(a.listPlacements))
	r.POST("/placements/:id/revoke", roles(staff...), withBody(a.revokePlacement))

	r.PATCH("/me/profile", roles(domain.RoleGraduate), a.updateProfile)
	r.POST("/me/resume", roles(domain.RoleGraduate), a.uploadResume)
	r.DELETE("/me/resume", roles(domain.RoleGraduate), a.deleteResume)
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
		if !decoded(c, &req) {
			return
		}
	}
	key, ok := idempotencyKey(c)
	if !ok {
		return
	}
	app, replayed, err := a.App.Apply(c.Request.Context(), caller(c), domain.ApplyRequest{
		OpeningID: c.Param("id"), CoverLetter: req.CoverLetter, Idempotency: domain.Idempotency{IdempotencyKey: key}, TrackingCode: trackingCode(c),
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

// idempotencyKey is the request's Idempotency-Key header ("" for none);
// false when it was refused (too long), the answer written.
func idempotencyKey(c *gin.Context) (string, bool) {
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if len(key) > 200 {
		fail(c, domain.FieldError("Idempotency-Key", "must be at most 200 characters"))
		return "", false
	}
	return key, true
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

func (a *API) listApplications(c *gin.Context, p domain.Page) {
	stale, ok := optionalFlag(c, "stale")
	if !ok {
		return
	}
	f := domain.ApplicationFilter{OpeningID: c.Query("opening_id"), Status: c.Query("status"), StaleOnly: stale}
	if !optionalOneOf(c, "status", f.Status, domain.ApplicationStatuses, "unknown application status") {
		return
	}
	items, total, err := a.App.Applications(c.Request.Context(), caller(c), f, p)
	replyPage(c, items, total, p, err)
}

func (a *API) getApplication(c *gin.Context) { replyByID(c, http.StatusOK, a.App.Application) }

type transitionRequest struct {
	To      string `json:"to"`
	Note    string `json:"note"`
	HiredOn string `json:"hired_on"`
	// Interview is the appointment, with to: interview only.
	Interview *domain.InterviewInput `json:"interview"`
	// InterviewSlots are times for the graduate to pick from, instead of
	// one appointment.
	InterviewSlots []domain.InterviewInput `json:"interview_slots"`
}

func (a *API) transition(c *gin.Context, req transitionRequest) {
	app, err := a.App.Transition(c.Request.Context(), caller(c), c.Param("id"),
		domain.Transition{To: req.To, Note: strings.TrimSpace(req.Note), HiredOn: req.HiredOn, Interview: req.Interview, Slots: req.InterviewSlots})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, app)
}

type bulkRequest struct {
	IDs       []string               `json:"ids"`
	To        string                 `json:"to"`
	Note      string                 `json:"note"`
	Interview *domain.InterviewInput `json:"interview"`
}

type bulkResult struct {
	ID     string       `json:"id"`
	Status string       `json:"status,omitempty"`
	Error  *errorDetail `json:"error,omitempty"`
}

// bulkTransition moves many applications, each reported on its own.
func (a *API) bulkTransition(c *gin.Context, req bulkRequest) {
	moved, err := a.App.BulkTransition(c.Request.Context(), caller(c), req.IDs, req.To, req.Note, req.Interview)
	if err != nil {
		fail(c, err)
		return
	}
	results := make([]bulkResult, 0, len(moved))
	for _, m := range moved {
		r := bulkResult{ID: m.ID, Status: m.Status}
		if m.Err != nil {
			r.Error = &errorDetail{Code: m.Err.Code, Message: m.Err.Message, Fields: m.Err.Fields}
		}
		results = append(results, r)
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
}

// placementFilter reads the filters of a list of placements, the JSON
// list's and the CSV's alike (the CSV once took any status and sent an
// empty file). Errors: validation_failed.
func placementFilter(c *gin.Context) (domain.PlacementFilter, error) {
	var v domain.Validation
	f := domain.PlacementFilter{Zone: c.Query("zone"), Province: c.Query("province"), Status: c.Query("status"),
		Year: queryInt(c, &v, "year", 0, 2000, 2100), Month: queryInt(c, &v, "month", 0, 1, 12)}
	v.Check(f.Status == "" || f.Status == "active" || f.Status == "revoked", "status", "must be active or revoked")
	return f, v.Err()
}

func (a *API) listPlacements(c *gin.Context, p domain.Page) {
	f, err := placementFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	items, total, err := a.App.Placements(c.Request.Context(), caller(c), f, p)
	replyPage(c, items, total, p, err)
}

func (a *API) revokePlacement(c *gin.Context, req reasonRequest) {
	pl, err := a.App.RevokePlacement(c.Request.Context(), caller(c), c.Param("id"), strings.TrimSpace(req.Reason))
	reply(c, http.StatusOK, pl, err)
}

func (a *API) deleteResume(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.DeleteResume(c.Request.Context(), caller(c)))
}

func (a *API) updateProfile(c *gin.Context) { replyWithBody(c, http.StatusOK, a.App.UpdateProfile) }

// uploadResume reads the multipart "file" field and hands it to
// app.UploadResume; a declared size over the limit is refused unread.
func (a *API) uploadResume(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(c, app.ErrResumeTooLarge)
			return
		}
		fail(c, domain.FieldError("file", "send the PDF as multipart form field \"file\""))
		return
	}
	if fh.Size > domain.MaxResumeBytes {
		fail(c, app.ErrResumeTooLarge)
		return
	}
	content, err := app.ReadUpload(fh, domain.MaxResumeBytes)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.App.UploadResume(c.Request.Context(), caller(c), content); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"has_resume": true, "size": len(content)})
}

func (a *API) downloadResume(c *gin.Context) {
	read := a.App.Resume
	if isHead(c.Request) {
		read = a.App.CheckResume // the same answer, no file sent: not a read
	}
	data, err := read(c.Request.Context(), caller(c), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	name := ""
	if u, err := a.App.User(c.Request.Context(), c.Param("id")); err == nil {
		name = u.Name
	}
	c.Header("Content-Disposition", domain.Disposition("attachment", domain.ResumeFilename(name), domain.ResumeFallbackFilename(name)))
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Length", strconv.Itoa(len(data)))
	c.Data(http.StatusOK, "application/pdf", data)
}

// changeInterview gives an application at interview another time or
// place (the employer's).
func (a *API) changeInterview(c *gin.Context, in domain.InterviewInput) {
	app, err := a.App.ChangeInterview(c.Request.Context(), caller(c), c.Param("id"), in)
	reply(c, http.StatusOK, app, err)
}

// pickInterviewSlot is the graduate's pick of an offered interview time.
func (a *API) pickInterviewSlot(c *gin.Context) {
	app, err := a.App.PickInterviewSlot(c.Request.Context(), caller(c), c.Param("id"), c.Param("slot_id"))
	reply(c, http.StatusOK, app, err)
}
