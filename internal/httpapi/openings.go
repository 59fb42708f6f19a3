package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

func (a *API) openingRoutes(r *gin.RouterGroup) {
	r.GET("/openings", a.searchOpenings)
	r.POST("/openings", roles(domain.RoleEmployer), a.createOpening)
	r.GET("/openings/manage", signedIn, withPage(listByStatus(domain.OpeningStatuses, "unknown opening status", a.App.ManagedOpenings)))
	r.GET("/openings/:id", a.getOpening)
	r.PATCH("/openings/:id", roles(domain.RoleEmployer), withBody(a.updateOpening))
	r.POST("/openings/:id/submit", roles(domain.RoleEmployer), a.openingAction(a.App.SubmitOpening))
	r.POST("/openings/:id/approve", roles(staff...), withOptionalBody(a.approveOpening))
	r.POST("/openings/:id/reject", roles(staff...), withBody(a.rejectOpening))
	r.POST("/openings/:id/close", signedIn, a.openingAction(a.App.CloseOpening))
	r.DELETE("/openings/:id", roles(domain.RoleEmployer), a.deleteDraft)

	r.GET("/me/recommendations", roles(domain.RoleGraduate), a.recommendations)
	r.GET("/me/saved-searches", roles(domain.RoleGraduate), a.listSavedSearches)
	r.POST("/me/saved-searches", roles(domain.RoleGraduate), withBody(a.createSavedSearch))
	r.PATCH("/me/saved-searches/:id", roles(domain.RoleGraduate), withBody(a.setAlertFrequency))
	r.DELETE("/me/saved-searches/:id", roles(domain.RoleGraduate), a.deleteSavedSearch)
	r.GET("/notifications", signedIn, withPage(a.listNotifications))
	r.POST("/notifications/read-all", signedIn, a.readAllNotifications)
	r.POST("/notifications/:id/read", signedIn, a.readNotification)
}

func (a *API) today() domain.Date { return domain.DateOf(a.Now()) }

// parseSearch reads the public search parameters; app.SearchOpenings checks
// them (unknown enumeration values are 422s naming the parameter).
func (a *API) parseSearch(c *gin.Context) (domain.SearchQuery, error) {
	p, err := paging(c)
	if err != nil {
		return domain.SearchQuery{}, err
	}
	return domain.SearchQuery{Page: p.Page, PerPage: p.PerPage, Today: a.today(), SoundsAlike: true}.WithParams(c.Query), nil
}

func (a *API) searchOpenings(c *gin.Context) {
	q, err := a.parseSearch(c)
	if err != nil {
		fail(c, err)
		return
	}
	res, err := a.Search.SearchOpenings(c.Request.Context(), q)
	reply(c, http.StatusOK, res, err)
}

// createOpening makes a draft; an Idempotency-Key makes the same request
// sent again (a retry after a lost answer) answer the first draft.
func (a *API) createOpening(c *gin.Context) {
	var in domain.OpeningInput
	if !decoded(c, &in) {
		return
	}
	key, ok := idempotencyKey(c)
	if !ok {
		return
	}
	in.IdempotencyKey = key
	o, replayed, err := a.App.CreateOpening(c.Request.Context(), caller(c), in)
	if replayed && err == nil {
		c.Header("Idempotent-Replayed", "true")
	}
	reply(c, http.StatusCreated, o, err)
}

func (a *API) getOpening(c *gin.Context) { replyByID(c, http.StatusOK, a.App.Opening) }

func (a *API) updateOpening(c *gin.Context, p domain.OpeningPatch) {
	o, err := a.App.UpdateOpening(c.Request.Context(), caller(c), c.Param("id"), p)
	reply(c, http.StatusOK, o, err)
}

type openingMove func(ctx context.Context, c domain.Caller, id string) (domain.Opening, error)

func (a *API) openingAction(move openingMove) gin.HandlerFunc {
	return func(c *gin.Context) { replyByID(c, http.StatusOK, move) }
}

type approveRequest struct {
	// Version is nil when not sent: approve whatever is current. A version
	// sent must name one (0 once slipped through as "any").
	Version *int `json:"version"`
}

// approveOpening publishes an opening; with a version, only that one.
func (a *API) approveOpening(c *gin.Context, req approveRequest) {
	version := 0
	if req.Version != nil {
		if *req.Version < 1 {
			fail(c, domain.FieldError("version", "must be a positive whole number"))
			return
		}
		version = *req.Version
	}
	o, err := a.App.ApproveOpeningVersion(c.Request.Context(), caller(c), c.Param("id"), version)
	reply(c, http.StatusOK, o, err)
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (a *API) rejectOpening(c *gin.Context, req reasonRequest) {
	o, err := a.App.RejectOpening(c.Request.Context(), caller(c), c.Param("id"), strings.TrimSpace(req.Reason))
	reply(c, http.StatusOK, o, err)
}

func (a *API) recommendations(c *gin.Context) {
	var v domain.Validation
	limit := queryInt(c, &v, "limit", 20, 1, 50)
	if err := v.Err(); err != nil {
		fail(c, err)
		return
	}
	recs, err := a.Search.Recommend(c.Request.Context(), caller(c), a.today(), limit)
	replyAll(c, recs, err)
}

type savedSearchRequest struct {
	Name    string               `json:"name"`
	Q       string               `json:"q"`
	Filters domain.SearchFilters `json:"filters"`
	// AlertFrequency: immediate, daily or weekly; empty for the user's default.
	AlertFrequency string `json:"alert_frequency"`
}

func (a *API) createSavedSearch(c *gin.Context, req savedSearchRequest) {
	ss, created, err := a.App.CreateSavedSearch(c.Request.Context(), caller(c), domain.SavedSearch{
		Name: strings.TrimSpace(req.Name), Q: strings.TrimSpace(req.Q), Filters: req.Filters, AlertFrequency: req.AlertFrequency})
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK // the same search, saved before
	}
	c.JSON(status, ss)
}

func (a *API) listSavedSearches(c *gin.Context) {
	items, err := a.App.SavedSearches(c.Request.Context(), caller(c))
	replyAll(c, items, err)
}

type alertFrequencyRequest struct {
	AlertFrequency string `json:"alert_frequency"`
}

// setAlertFrequency changes how a saved search's alerts are mailed.
func (a *API) setAlertFrequency(c *gin.Context, req alertFrequencyRequest) {
	ss, err := a.App.SetAlertFrequency(c.Request.Context(), caller(c), c.Param("id"), req.AlertFrequency)
	reply(c, http.StatusOK, ss, err)
}

func (a *API) deleteDraft(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.DeleteDraft(c.Request.Context(), caller(c), c.Param("id")))
}

func (a *API) deleteSavedSearch(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.DeleteSavedSearch(c.Request.Context(), caller(c), c.Param("id")))
}

func (a *API) listNotifications(c *gin.Context, p domain.Page) {
	unreadOnly, ok := optionalFlag(c, "unread")
	if !ok {
		return
	}
	items, total, unread, err := a.App.Notifications(c.Request.Context(), caller(c), unreadOnly, p)
	if err != nil {
		fail(c, err)
		return
	}
	body := list(items, total, p)
	c.JSON(http.StatusOK, gin.H{"items": body.Items, "total": body.Total, "page": body.Page, "per_page": body.PerPage, "unread": unread})
}

func (a *API) readNotification(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.MarkNotificationRead(c.Request.Context(), caller(c), c.Param("id")))
}

func (a *API) readAllNotifications(c *gin.Context) {
	done(c, http.StatusNoContent, a.App.MarkAllNotificationsRead(c.Request.Context(), caller(c)))
}
