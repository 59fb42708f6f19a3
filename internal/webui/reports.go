package webui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// ReportsPage is one month's zone reports in the caller's scope, with the
// actions each level has on them, and the province's own report.
type ReportsPage struct {
	Layout
	Year, Month int
	Reports     []domain.MonthlyReport
	// Province is the province's own report (province staff only), nil otherwise.
	Province *domain.ProvinceReport
}

func (*ReportsPage) template() string { return "reports/reports" }

// reportMonth is the month asked for (?year=&month=), this month by default.
func (s *Site) reportMonth(c *gin.Context) (int, int) {
	now := s.today()
	y, m := now.Year, now.Month
	if v, err := strconv.Atoi(c.Query("year")); err == nil && v >= 2000 && v <= 2100 {
		y = v
	}
	if v, err := strconv.Atoi(c.Query("month")); err == nil && v >= 1 && v <= 12 {
		m = v
	}
	return y, m
}

func (s *Site) reportsPage(c *gin.Context) {
	v, err := s.reportsView(c)
	s.show(c, v, err)
}

func (s *Site) reportsView(c *gin.Context) (*ReportsPage, error) {
	y, m := s.reportMonth(c)
	cl := callerOf(c)
	rs, err := s.App.MonthlyReports(c.Request.Context(), cl, "", y, m)
	if err != nil {
		return nil, err
	}
	v := &ReportsPage{Year: y, Month: m, Reports: rs}
	if cl.Role == domain.RoleProvinceAdmin {
		if pr, err := s.App.ProvinceReport(c.Request.Context(), cl, cl.ProvinceCode, y, m); err == nil {
			v.Province = &pr
		}
	}
	v.Layout = s.layout(c, s.cat.t(lang(c), "staff.reports"))
	return v, nil
}

func (s *Site) submitProvinceReport(c *gin.Context) {
	cl := callerOf(c)
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	if _, err := s.App.SubmitProvinceReport(c.Request.Context(), cl, cl.ProvinceCode, y, m); err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.province_submit"), false)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}

func (s *Site) submitReport(c *gin.Context) {
	cl := callerOf(c)
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	if _, err := s.App.SubmitReport(c.Request.Context(), cl, cl.ZoneCode, y, m); err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "staff.report_submit"), false)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}

func (s *Site) reviewReport(c *gin.Context) {
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	_, err := s.App.ReviewReport(c.Request.Context(), callerOf(c), c.PostForm("zone"), y, m, c.PostForm("action") == "accept", c.PostForm("reason"))
	if err != nil {
		s.flash(c, s.message(c, err), true)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/staff/reports?year=%d&month=%d", y, m))
}
