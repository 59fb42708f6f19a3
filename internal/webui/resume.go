package webui

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// resumePDFPolicy is the Content-Security-Policy of the graduate's own
// résumé shown in the browser: a PDF may run no script and be framed only by
// the site itself, unlike pages, which nobody may frame.
const resumePDFPolicy = "default-src 'self'; script-src 'none'; object-src 'self'; base-uri 'none'; frame-ancestors 'self'"

// resumePreview shows the signed-in graduate its own résumé in the browser
// (Content-Disposition: inline), or downloads it with ?download=1. It reads
// the file through the same use case as an employer's download, so the
// rules on who may read it live in one place.
func (s *Site) resumePreview(c *gin.Context) {
	cl := callerOf(c)
	data, err := s.App.Resume(c.Request.Context(), cl, cl.UserID)
	if err != nil {
		s.fail(c, err)
		return
	}
	disposition := "inline"
	if c.Query("download") == "1" {
		disposition = "attachment"
	}
	name := c.GetString("user_name")
	c.Header("Content-Disposition", domain.Disposition(disposition, domain.ResumeFilename(name), domain.ResumeFallbackFilename(name)))
	c.Header("Content-Security-Policy", resumePDFPolicy)
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Length", strconv.Itoa(len(data)))
	c.Data(http.StatusOK, "application/pdf", data)
}
