package app_test

import (
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ical"
)

// mailButton is the style of a mail's main action.
const mailButton = `style="display:inline-block;`

// hasButton tells whether kind's HTML template shows its main action as a
// button (the rendered mail must show exactly one in each language then).
func hasButton(t *testing.T, kind domain.MailKind) bool {
	b, err := os.ReadFile("mailtmpl/" + string(kind) + ".html")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), `style="{{button}}"`)
}

// sampleMailData fills every field any mail template reads.
var sampleMailData = map[string]string{
	"token": "tok", "application_id": "a1", "opening_id": "o1", "opening_title": "科研助理", "employer_name": "成都智算",
	"status": "interview", "status_zh": "邀请面试", "status_en": "invited to interview", "note": "请带身份证",
	"starts_at": "2026-12-10T02:00:00Z", "ends_at": "2026-12-10T03:00:00Z", "starts_local": "2026-12-10 10:00", "ends_local": "11:00",
	"location": "菁蓉汇", "online_url": "https://meet.example.test/j/1", "sequence": "0", "method": "REQUEST",
	"saved_search_id": "s1", "search_name": "算法", "unsubscribe_token": "u.t", "frequency": "weekly", "count": "1",
	"items": `[{"id":"x1","title":"算法岗","subtitle":"成都智算"}]`, "date": "2026-12-01", "decision": "rejected", "reason": "薪资未写明。",
	"zone": "sichuan-chengdu", "zone_name": "成都", "zone_name_en": "Chengdu", "province": "51", "province_name": "四川", "province_name_en": "Sichuan", "version": "2", "zones": "8", "zones_in": "1", "year": "2026", "month": "11", "due": "2026-12-05",
	"event_id": "e1", "event_title": "招聘会", "event_url": "http://site.test/events/e1", "stream_url": "https://live.example.test/1",
	"change": "password_changed", "change_zh": "修改了密码", "change_en": "password was changed", "at_local": "2026-12-05 14:30",
	"client": "Chrome · Android", "client_en": "Chrome · Android", "address": "203.0.113.*",
	"reviewer_zh": "成都高新技术产业开发区管委会", "reviewer_en": "the Chengdu Hi-tech Industrial Development Zone administration",
	"was_starts_local": "2026-12-09 10:00", "was_starts_at": "2026-12-09T02:00:00Z", "was_ends_local": "2026-12-09 12:00", "was_location": "菁蓉汇 3 号馆", "graduate_name": "王小明",
}

var oneOfMany, twoOfMany = regexp.MustCompile(`\b1 new \w+s\b`), regexp.MustCompile(`\b2 new \w+s\b`)

var anyLink = regexp.MustCompile(`https?://[^\s"<>]+`)

// linkLang is a link's lang parameter.
var linkLang = regexp.MustCompile(`[?&;]lang=`)

// TestEveryMailKindRendersInBothLanguages: every kind of the registry has
// its subject, text and HTML part (none leaves a field unfilled); in
// Chinese they start in Chinese, and for a reader who chose English the
// subject, the text and the HTML part all start in English, the HTML
// page marked English; every link is absolute, on the site or the
// employer's own meeting and stream links.
func TestEveryMailKindRendersInBothLanguages(t *testing.T) {
	const base = "http://site.test"
	// startsHan: the first letter (not a digit or a mark) is Chinese.
	startsHan := func(s string) bool {
		i := strings.IndexFunc(s, unicode.IsLetter)
		return i >= 0 && unicode.Is(unicode.Han, []rune(s[i:])[0])
	}
	for _, info := range domain.MailKinds {
		for _, lang := range domain.MailLanguages {
			r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: lang, Verified: true}
			m, err := app.RenderMail(base, r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: sampleMailData})
			if err != nil {
				t.Errorf("%s (%s): %v", info.Kind, lang, err)
				continue
			}
			if m.Subject == "" || m.HTML == "" || strings.TrimSpace(m.Text) == "" {
				t.Errorf("%s (%s): subject %q, %d bytes of text, %d of HTML", info.Kind, lang, m.Subject, len(m.Text), len(m.HTML))
			}
			for part, s := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
				if strings.Contains(s, "<no value>") {
					t.Errorf("%s (%s): the %s leaves a field unfilled:\n%s", info.Kind, lang, part, s)
				}
				// A reason typed with its own full stop got a second one in
				// the English half (an employer walk read 。.).
				if strings.Contains(s, "。.") {
					t.Errorf("%s (%s): the %s ends a sentence twice:\n%s", info.Kind, lang, part, s)
				}
			}
			// A plain-text mail that says in English why it was sent says it
			// in Chinese too (a walk read the reason in the English half only).
			if zh, _, _ := strings.Cut(m.Text, "\n----\n"); lang == "zh" && strings.Contains(m.Text, "You receive this mail because") && !strings.Contains(zh, "而收到此邮件") {
				t.Errorf("%s: the Chinese half does not say why the mail was sent:\n%s", info.Kind, m.Text)
			}
			// A walk read the HTML mails at 980 px on a phone, the text tiny.
			if !strings.Contains(m.HTML, `<meta name="viewport" content="width=device-width, initial-scale=1">`) {
				t.Errorf("%s (%s): the HTML has no viewport", info.Kind, lang)
			}
			// A mail audit read the mails full width on a desktop, their styles
			// dropped by clients that drop <body> styles, the main action a
			// plain link: the body is a card at most 600 px wide whose cell
			// carries the type, the settings footer inside it, and the main
			// action (where a kind has one) is a button.
			cell := strings.Index(m.HTML, `class="mail-body"`)
			// The card's heading and the settings link speak the first
			// language first, as the mail does.
			head, settings := "gradzone · 科研助理", "邮件设置 · Mail settings"
			if lang == "en" {
				head, settings = "gradzone · Research assistants", "Mail settings · 邮件设置"
			}
			// A long link or word wraps inside the card (a walk's map link
			// widened it to 822 px).
			if !strings.Contains(m.HTML, "max-width:600px") || cell < 0 || !strings.Contains(m.HTML[cell:], "overflow-wrap:anywhere") || strings.Index(m.HTML, settings) < cell ||
				strings.LastIndex(m.HTML, "</table>") < strings.Index(m.HTML, settings) || !strings.Contains(m.HTML[:cell], head) ||
				!strings.Contains(m.Text, "\n--\n"+settings+": ") {
				t.Errorf("%s (%s): the HTML is not framed:\n%s", info.Kind, lang, m.HTML)
				continue
			}
			// The lines in both languages read the first language first: why
			// the mail came, the check-in code's label and the event's links
			// (a walk read them Chinese first in English mails).
			for _, pair := range [][2]string{{"而收到此邮件", "You receive this mail because"}, {"签到二维码", "Check-in QR code"},
				{"活动页面", "Event page"}, {"我的活动", "My events"}} {
				zh, en := strings.Index(m.HTML, pair[0]), strings.Index(m.HTML, pair[1])
				if zh >= 0 && en >= 0 && (en < zh) != (lang == "en") {
					t.Errorf("%s (%s): %q and %q in the wrong order", info.Kind, lang, pair[0], pair[1])
				}
			}
			// An event's English half names its host and livestream, as the
			// Chinese does (a walk: only the Chinese half had them).
			if _, en, ok := strings.Cut(m.HTML, `<p lang="en">`); ok && strings.Contains(m.HTML, "主办：") {
				if en, _, _ = strings.Cut(en, "</p>"); !strings.Contains(en, "Host: Chengdu") || !strings.Contains(en, "https://live.example.test/1") {
					t.Errorf("%s (%s): the English half names no host or livestream: %s", info.Kind, lang, en)
				}
			}
			// Each language's block has its button (a walk found the one
			// button in the Chinese block only), on either side of the rule.
			top, bottom, _ := strings.Cut(m.HTML, "<hr>")
			if n, m := strings.Count(top, mailButton), strings.Count(bottom, mailButton); n != m || n > 1 || (n == 1) != hasButton(t, info.Kind) {
				t.Errorf("%s (%s): %d button(s) above the rule, %d below", info.Kind, lang, n, m)
			}
			body := m.HTML[cell:]
			body = strings.TrimSpace(body[strings.Index(body, ">")+1:])
			if lang == "en" {
				if startsHan(m.Subject) || startsHan(m.Text) || !strings.Contains(m.HTML, `<html lang="en">`) || !strings.HasPrefix(body, `<p lang="en">`) {
					t.Errorf("%s (en) does not start in English: %q\n%s\n%s", info.Kind, m.Subject, m.Text, m.HTML)
				}
			} else if !startsHan(m.Subject) || !startsHan(m.Text) || !strings.Contains(m.HTML, `<html lang="zh-CN">`) {
				t.Errorf("%s (zh) does not start in Chinese: %q\n%s", info.Kind, m.Subject, m.Text)
			}
			for _, l := range anyLink.FindAllString(m.Text+" "+m.HTML, -1) {
				if !strings.HasPrefix(l, base+"/") && !strings.Contains(l, ".example.test/") {
					t.Errorf("%s (%s): link %s is not on the site", info.Kind, lang, l)
				}
			}
			// The page a link opens speaks the language of the half it is in
			// (a mail audit opened an English mail's links on Chinese pages):
			// in a mail put English first, lang=en, and lang=zh in its
			// Chinese half; in a Chinese-first mail, lang=zh in its Chinese
			// half, lang=en in its English half and no lang in what is in
			// both languages and the footer (the account's language).
			for half, text := range mailHalves(m, lang) {
				for _, l := range anyLink.FindAllString(text, -1) {
					if !strings.HasPrefix(l, base+"/") || writtenTokenLink.MatchString(l) {
						continue // a token link written out as CONTRACT.md writes it (TestEachHalfsLinksOpenItsLanguage)
					}
					if want := map[string]string{"zh": "", "zh/zh": "lang=zh", "zh/en": "lang=en", "en": "lang=en", "en/zh": "lang=zh"}[lang+half]; want == "" && linkLang.MatchString(l) ||
						want != "" && !strings.Contains(l, want) {
						t.Errorf("%s (%s, %s half): link %s", info.Kind, lang, strings.TrimPrefix(half, "/"), l)
					}
				}
			}
		}
	}
}

// writtenTokenLink is a verification or reset link with nothing after its
// token: where a mail writes it out, as CONTRACT.md does.
var writtenTokenLink = regexp.MustCompile(`/(?:verify-email|reset-password)\?token=[^&]*$`)

// englishMarked is an HTML mail's paragraph or span marked English.
var englishMarked = regexp.MustCompile(`(?s)<p lang="en"[^>]*>.*?</p>|<span lang="en">.*?</span>`)

// mailHalves parts a rendered mail's text and HTML for checking its links:
// of a mail put English first (lang en), "" is all but its Chinese half
// (the English half, what is in both languages, the footers) and "/zh" the
// Chinese half; of a Chinese-first mail, "/zh" is the Chinese half (the
// text's before ----, the HTML's before <hr> but what is in both
// languages), "/en" the English half (the text's after ----, the HTML's
// parts after <hr> marked English) and "" the rest.
func mailHalves(m domain.MailMessage, lang string) map[string]string {
	if lang != "en" {
		zh, en, rest := m.Text, "", ""
		if i, j := strings.Index(m.Text, "\n----\n"), strings.LastIndex(m.Text, "\n--\n"); i >= 0 && j > i {
			zh, en, rest = m.Text[:i], m.Text[i:j], m.Text[j:]
		}
		if i, j := strings.Index(m.HTML, "<hr>"), strings.LastIndex(m.HTML, `<p style="color:#666;font-size:12px">`); i >= 0 && j > i {
			zhHTML, both := m.HTML[:i], ""
			if k := strings.Index(zhHTML, "<div data-both-languages>"); k >= 0 {
				l := k + strings.Index(zhHTML[k:], "</div>")
				zhHTML, both = zhHTML[:k]+zhHTML[l:], zhHTML[k:l]
			}
			// After the rule, the parts marked English are its English half;
			// the rest is in both languages (an unsubscribe link, a token
			// link alone).
			enHTML := strings.Join(englishMarked.FindAllString(m.HTML[i:j], -1), " ")
			both += " " + englishMarked.ReplaceAllString(m.HTML[i:j], " ")
			return map[string]string{"/zh": zh + " " + zhHTML, "": rest + " " + both + " " + m.HTML[j:], "/en": en + " " + enHTML}
		}
		return map[string]string{"/zh": zh + " " + m.HTML, "": rest, "/en": en}
	}
	rest, zh := "", ""
	// The text: English, ----, Chinese, then the footer's -- line.
	if i, j := strings.Index(m.Text, "\n----\n"), strings.LastIndex(m.Text, "\n--\n"); i >= 0 && j > i {
		rest, zh = m.Text[:i]+m.Text[j:], m.Text[i:j]
	} else {
		rest = m.Text
	}
	// The HTML: the Chinese half is one div (englishFirstHTML).
	if i := strings.Index(m.HTML, `<div lang="zh-CN">`); i >= 0 {
		j := i + strings.Index(m.HTML[i:], "</div>")
		rest, zh = rest+" "+m.HTML[:i]+m.HTML[j:], zh+" "+m.HTML[i:j]
	} else {
		rest += " " + m.HTML
	}
	return map[string]string{"": rest, "/zh": zh}
}

// In a mail put English first the Chinese half's links carried lang=en
// too, and opened English pages for whoever read that half: each half's
// links open the page in its language (the English half's, what is in both
// languages and the footers', English), in the text and the HTML part, the
// token links too; a Chinese-first mail's English half's links carry
// lang=en, its Chinese half's lang=zh, its footer none.
func TestEachHalfsLinksOpenItsLanguage(t *testing.T) {
	r := domain.MailRecipient{Email: "g@site.test", Name: "Li", Language: "en"}
	m, err := app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailApplicationStatus, Data: sampleMailData})
	if err != nil {
		t.Fatal(err)
	}
	en, zh, ok := strings.Cut(m.Text, "\n----\n")
	zh, footer, _ := strings.Cut(zh, "\n--\n")
	if !ok || !strings.HasPrefix(en, "Hello Li") || !strings.Contains(zh, "您好") {
		t.Fatalf("not English, then Chinese:\n%s", m.Text)
	}
	for half, want := range map[string][]string{
		en:     {"https://site.test/applications/a1?lang=en", "https://site.test/me?lang=en"},
		zh:     {"https://site.test/applications/a1?lang=zh", "https://site.test/me?lang=zh"},
		footer: {"https://site.test/account/notifications?lang=en"},
	} {
		for _, l := range want {
			if !strings.Contains(half, l) {
				t.Errorf("no %s in the half:\n%s", l, half)
			}
		}
	}
	top, bottom, _ := strings.Cut(m.HTML, `<div lang="zh-CN">`)
	zhHTML, rest, _ := strings.Cut(bottom, "</div>")
	if !strings.Contains(top, `<a href="https://site.test/applications/a1?lang=en"`) || !strings.Contains(zhHTML, `<a href="https://site.test/applications/a1?lang=zh"`) ||
		strings.Contains(zhHTML, "lang=en") || strings.Contains(top+rest, "lang=zh\"") || !strings.Contains(rest, "https://site.test/account/notifications?lang=en") {
		t.Errorf("the HTML's halves' links:\n%s", m.HTML)
	}
	// A token link: the verification page opened from the Chinese half's
	// button speaks Chinese (it follows ?lang= before the mail's language).
	// The text part writes it as CONTRACT.md does, {PUBLIC_URL}/verify-email?token=T,
	// and nothing after T (a contract check read `token=(\S+)` as
	// "a%2Bb&lang=zh"); opened so, the page speaks the mail's language.
	m, err = app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailVerifyEmail, Data: map[string]string{"token": "a+b"}})
	if err != nil || !strings.Contains(m.HTML, "https://site.test/verify-email?token=a%2Bb&amp;lang=zh") {
		t.Errorf("the verification button of the Chinese half (%v):\n%s", err, m.HTML)
	}
	for _, kind := range []domain.MailKind{domain.MailVerifyEmail, domain.MailPasswordReset} {
		for _, lang := range domain.MailLanguages {
			m, err := app.RenderMail("https://site.test", domain.MailRecipient{Email: "g@site.test", Name: "Li", Language: lang},
				domain.MailRequest{Kind: kind, Data: map[string]string{"token": "a+b"}})
			found := regexp.MustCompile(`token=(\S+)`).FindAllStringSubmatch(m.Text, -1)
			if err != nil || len(found) == 0 {
				t.Fatalf("%s (%s): no token link (%v):\n%s", kind, lang, err, m.Text)
			}
			for _, f := range found {
				if f[1] != "a%2Bb" {
					t.Errorf("%s (%s): the text's link reads as token %q:\n%s", kind, lang, f[1], m.Text)
				}
			}
		}
	}
	// An event's links in both languages (after the English text, in the
	// HTML) open the English page; the Chinese text's the Chinese one.
	ev, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: domain.MailEventRegistered, Data: sampleMailData})
	top, _, _ = strings.Cut(ev.HTML, `<div lang="zh-CN">`)
	en, zh, _ = strings.Cut(ev.Text, "\n----\n")
	if err != nil || !strings.Contains(top, `<a href="http://site.test/events/e1?lang=en">`) || !strings.Contains(en, "Event page: http://site.test/events/e1?lang=en") ||
		!strings.Contains(zh, "活动页面：http://site.test/events/e1?lang=zh") {
		t.Errorf("the event mail's links (%v):\n%s\n%s", err, ev.Text, ev.HTML)
	}
	zhFirst, err := app.RenderMail("https://site.test", domain.MailRecipient{Email: "g@site.test", Name: "李", Language: "zh"},
		domain.MailRequest{Kind: domain.MailApplicationStatus, Data: sampleMailData})
	// A Chinese-first mail's English half opens English pages (its links
	// had no lang, and opened the Chinese page of an account in Chinese),
	// its Chinese half Chinese ones (a link with lang is remembered: once
	// an English link was followed, the Chinese half's opened English
	// pages); the footer keeps no lang: the account's language.
	zh, en, _ = strings.Cut(zhFirst.Text, "\n----\n")
	en, footer, _ = strings.Cut(en, "\n--\n")
	zhHTML, enHTML, _ := strings.Cut(zhFirst.HTML, "<hr>")
	if err != nil || linkLang.MatchString(footer) || !strings.Contains(zh, "https://site.test/applications/a1?lang=zh") ||
		!strings.Contains(en, "https://site.test/applications/a1?lang=en") ||
		!strings.Contains(en, "https://site.test/me?lang=en") || !strings.Contains(zhHTML, `<a href="https://site.test/applications/a1?lang=zh"`) ||
		strings.Contains(zhHTML, "lang=en") || strings.Contains(enHTML, "lang=zh") ||
		!strings.Contains(enHTML, `<a href="https://site.test/applications/a1?lang=en"`) ||
		!strings.Contains(enHTML, `href="https://site.test/account/notifications"`) {
		t.Errorf("a Chinese-first mail's links (%v):\n%s\n%s", err, zhFirst.Text, zhFirst.HTML)
	}
}

// What stands in both languages in a mail's HTML opens the page in the
// account's language, as an event's links do: a digest's list (its English
// text says "listed in this mail") carried lang=zh in a mail put English
// first, so its English reader's list opened Chinese pages (and the
// language cookie kept Chinese); a Chinese-first mail's unsubscribe link
// (退订… · Unsubscribe…) and a token link standing alone below the
// English button carried lang=en, so its Chinese reader's page spoke
// English. In a mail put English first they open English pages; in a
// Chinese-first mail they carry no lang.
func TestLinksInBothLanguagesOpenTheAccountsLanguage(t *testing.T) {
	for _, c := range []struct {
		kind   domain.MailKind
		en, zh string // as the HTML writes the link in a mail put English first, a Chinese-first one
	}{
		{domain.MailAlertDigest, `<a href="http://site.test/openings/x1?lang=en">`, `<a href="http://site.test/openings/x1">`},
		{domain.MailApplicantDigest, `<a href="http://site.test/applications/x1?lang=en">`, `<a href="http://site.test/applications/x1">`},
		{domain.MailAlertDigest, `<a href="http://site.test/unsubscribe?token=u.t&amp;lang=en">`, `<a href="http://site.test/unsubscribe?token=u.t">`},
		{domain.MailSavedSearchAlert, `<a href="http://site.test/unsubscribe?token=u.t&amp;lang=en">`, `<a href="http://site.test/unsubscribe?token=u.t">`},
		// Written out as CONTRACT.md writes them (contractTokenLinks); the
		// button above the link carries the lang.
		{domain.MailVerifyEmail, `>http://site.test/verify-email?token=tok<`, `>http://site.test/verify-email?token=tok<`},
		{domain.MailPasswordReset, `>http://site.test/reset-password?token=tok<`, `>http://site.test/reset-password?token=tok<`},
	} {
		for _, lang := range domain.MailLanguages {
			m, err := app.RenderMail("http://site.test", domain.MailRecipient{Email: "g@site.test", Name: "Li", Language: lang},
				domain.MailRequest{Kind: c.kind, Data: sampleMailData})
			want := map[string]string{"en": c.en, "zh": c.zh}[lang]
			if err != nil || !strings.Contains(m.HTML, want) {
				t.Errorf("%s (%s): no %s (%v):\n%s", c.kind, lang, want, err, m.HTML)
			}
		}
	}
}

// The mails wrote a time past midnight with the start's weekday after the
// end's date: 「2026-12-06 22:00–2026-12-07 01:00（周日，北京时间）」. Every
// mail that writes an event's or an interview's time (and the time it had
// before a change) writes each date with its weekday, as the site does,
// in both languages; a mail queued before its data held was_ends_at too.
func TestMailsWriteEachDateOfARangePastMidnight(t *testing.T) {
	d := maps.Clone(sampleMailData)
	maps.Copy(d, map[string]string{"changed": "true", // the application mail's "原定" line
		"starts_at": "2026-12-06T14:00:00Z", "ends_at": "2026-12-06T17:00:00Z", "starts_local": "2026-12-06 22:00", "ends_local": "2026-12-07 01:00",
		"was_starts_at": "2026-12-05T15:30:00Z", "was_ends_at": "2026-12-05T16:30:00Z", "was_starts_local": "2026-12-05 23:30", "was_ends_local": "2026-12-06 00:30"})
	queued := maps.Clone(d)
	delete(queued, "was_ends_at")
	now := map[string]string{"zh": "2026-12-06 22:00（周日）–2026-12-07 01:00（周一，北京时间）", "en": "2026-12-06 22:00 (Sun)–2026-12-07 01:00 (Mon, Beijing time)"}
	was := map[string]string{"zh": "2026-12-05 23:30（周六）–2026-12-06 00:30（周日，北京时间）", "en": "2026-12-05 23:30 (Sat)–2026-12-06 00:30 (Sun, Beijing time)"}
	checked := 0
	for _, info := range domain.MailKinds {
		tmpl, err := os.ReadFile("mailtmpl/" + string(info.Kind) + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(tmpl), "{{when ") && !strings.Contains(string(tmpl), "ends_local") {
			continue // no time range (a reminder's subject writes its start alone)
		}
		checked++
		for _, data := range []map[string]string{d, queued} {
			r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: "zh", Verified: true}
			m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			for part, s := range map[string]string{"text": m.Text, "html": m.HTML} {
				for _, lang := range []string{"zh", "en"} {
					if !strings.Contains(s, now[lang]) || strings.Contains(string(tmpl), "was_") && !strings.Contains(s, was[lang]) {
						t.Errorf("%s (%s, %s): the range past midnight is not %q (before: %q):\n%s", info.Kind, part, lang, now[lang], was[lang], s)
					}
				}
				if strings.Contains(s, "01:00（周日") || strings.Contains(s, "01:00 (Sun") || strings.Contains(s, "00:30（周六") {
					t.Errorf("%s (%s): the start's weekday after the end's date:\n%s", info.Kind, part, s)
				}
			}
		}
	}
	if checked < 6 {
		t.Errorf("only %d mail kinds write a time", checked)
	}

	// The times an employer offers to pick from: the end had no date
	// (「23:30–00:30」) and no time a weekday.
	sat := time.Date(2026, 12, 12, 23, 30, 0, 0, domain.Shanghai)
	d["slots"] = domain.SlotsMailData([]domain.InterviewSlot{{ID: "s1", StartsAt: sat, EndsAt: sat.Add(time.Hour)}})
	offered := map[string]string{"zh": "2026-12-12 23:30（周六）–2026-12-13 00:30（周日，北京时间）", "en": "2026-12-12 23:30 (Sat)–2026-12-13 00:30 (Sun, Beijing time)"}
	for _, lang := range domain.MailLanguages {
		r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: lang, Verified: true}
		m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: domain.MailApplicationStatus, UserID: "u1", Data: d})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, "- "+offered["zh"]) || !strings.Contains(m.Text, "- "+offered["en"]) || !strings.Contains(m.HTML, "<li>"+offered[lang]) {
			t.Errorf("the times offered (%s) are not written %q / %q:\n%s\n%s", lang, offered["zh"], offered["en"], m.Text, m.HTML)
		}
	}
}

// inEnglish puts lang=en into a link wherever the link's own shape leaves
// room: after its query, before its fragment, before a full stop after it.
func TestEnglishMailLinks(t *testing.T) {
	r := domain.MailRecipient{Email: "g@site.test", Name: "Li", Language: "en"}
	m, err := app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailApplicationStatus, Data: sampleMailData})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"https://site.test/applications/a1?lang=en", "https://site.test/me?lang=en",
		"https://site.test/account/notifications?lang=en"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("no %s in:\n%s", want, m.Text)
		}
	}
	// The calendar entry's link and the unsubscribe header too: a client
	// may open either as a page.
	for _, h := range m.Headers {
		if h.Name == "List-Unsubscribe" && !strings.Contains(h.Value, "lang=en") {
			t.Errorf("List-Unsubscribe %q", h.Value)
		}
	}
	for _, at := range m.Attachments {
		if inv, err := ical.Parse(at.Data); err != nil || !strings.Contains(inv.Description, "https://site.test/applications/a1?lang=en") {
			t.Errorf("the calendar entry's link is not English (%v):\n%s", err, at.Data)
		}
	}
	// An event's entry too, with the zone's English name (an English walk
	// read the event's calendar entry in Chinese).
	ev, err := app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailEventRegistered, Data: sampleMailData})
	if err != nil {
		t.Fatal(err)
	}
	// The check-in code and the event's links, in both languages, follow the
	// first language's text: the English text said "show this QR code" with
	// the code in the Chinese block below (a walk).
	withCode := map[string]string{}
	for k, v := range sampleMailData {
		withCode[k] = v
	}
	withCode["checkin_url"] = "https://site.test/checkin?token=c"
	if ev, err = app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailEventRegistered, Data: withCode}); err != nil {
		t.Fatal(err)
	}
	if qr, zh := strings.Index(ev.HTML, "cid:checkin-qr@gradzone"), strings.Index(ev.HTML, `<div lang="zh-CN">`); qr < 0 || zh < 0 || qr > zh {
		t.Errorf("the English-first event mail's QR code (at %d) is not before the Chinese block (at %d)", qr, zh)
	}
	zhFirst, err := app.RenderMail("https://site.test", domain.MailRecipient{Email: "g@site.test", Name: "李", Language: "zh"},
		domain.MailRequest{Kind: domain.MailEventRegistered, Data: withCode})
	if qr, en := strings.Index(zhFirst.HTML, "cid:checkin-qr@gradzone"), strings.Index(zhFirst.HTML, `<p lang="en">`); err != nil || qr < 0 || qr > en {
		t.Errorf("the Chinese-first event mail's QR code (at %d) is not before the English text (at %d): %v", qr, en, err)
	}
	for _, at := range ev.Attachments {
		if at.Name != "event.ics" {
			continue
		}
		if inv, err := ical.Parse(at.Data); err != nil || inv.Description != "Chengdu\nhttps://site.test/events/e1?lang=en" {
			t.Errorf("the event's calendar entry in English (%v): %q", err, inv.Description)
		}
	}
	// The halves stand apart as in a Chinese-first mail.
	if !strings.Contains(m.Text, "\n\n----\n") {
		t.Errorf("no blank line before the separator:\n%s", m.Text)
	}
	m, err = app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailSecurityNotice,
		Data: domain.SecurityNoticeData("new_sign_in", time.Now(), domain.Client{UserAgent: "okhttp/4.12"})})
	if err != nil || !strings.Contains(m.Text, "Your account was signed in to from a new device just now") || !strings.Contains(m.Text, "okhttp") {
		t.Errorf("the new-device notice in English (%v):\n%s", err, m.Text)
	}
	m, err = app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailPasswordReset, Data: map[string]string{"token": "a+b"}})
	if err != nil || !strings.Contains(m.Text, "https://site.test/reset-password?token=a%2Bb\n") ||
		!strings.Contains(m.HTML, `href="https://site.test/reset-password?token=a%2Bb&amp;lang=en"`) {
		t.Errorf("a token link in English (%v):\n%s\n%s", err, m.Text, m.HTML)
	}
}

// An operator's change (`gradzone user clear-two-step`, `reset-password`)
// has no device to name and was not the owner's doing: its notice read
// 「设备：未知设备（）」 and 「如果是您本人操作，无需理会本邮件」 (a walk). It
// says an administrator did it, that every device was signed out, and whom
// to ask.
func TestOperatorSecurityNotice(t *testing.T) {
	for _, change := range []string{"totp_cleared", "password_set"} {
		for _, lang := range []string{"zh", "en"} {
			r := domain.MailRecipient{Email: "s@site.test", Name: "王", Language: lang}
			m, err := app.RenderMail("https://site.test", r, domain.MailRequest{Kind: domain.MailSecurityNotice,
				Data: domain.SecurityNoticeData(change, time.Now(), domain.Client{})})
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{m.Text, m.HTML} {
				if strings.Contains(part, "设备：") || strings.Contains(part, "未知设备") || strings.Contains(part, "Device:") || strings.Contains(part, "unknown device") ||
					strings.Contains(part, "本人操作") || strings.Contains(part, "If this was you") ||
					!strings.Contains(part, "管理员") || !strings.Contains(part, "administrator") ||
					!strings.Contains(part, "已退出") || !strings.Contains(part, "signed out") {
					t.Errorf("%s (%s): an operator's notice names a device or asks whether it was the owner:\n%s", change, lang, part)
				}
			}
		}
	}
}

// TestTokenLinks: every link that carries a signed token (mailed or in a
// QR code) is the site's base, without a trailing slash, the page and the
// token escaped for a query.
func TestTokenLinks(t *testing.T) {
	const tok = "a+b/c=.d"
	for _, base := range []string{"https://site.test", "https://site.test/"} {
		for got, want := range map[string]string{
			app.CheckinURL(base, tok):     "https://site.test/checkin?token=a%2Bb%2Fc%3D.d",
			app.PickLinkURL(base, tok):    "https://site.test/interview/pick?token=a%2Bb%2Fc%3D.d",
			app.UnsubscribeURL(base, tok): "https://site.test/unsubscribe?token=a%2Bb%2Fc%3D.d",
		} {
			if got != want {
				t.Errorf("base %q: %s, want %s", base, got, want)
			}
		}
		r := domain.MailRecipient{Email: "g@site.test", Name: "张三"}
		for kind, page := range map[domain.MailKind]string{domain.MailVerifyEmail: "/verify-email", domain.MailPasswordReset: "/reset-password"} {
			m, err := app.RenderMail(base, r, domain.MailRequest{Kind: kind, Data: map[string]string{"token": tok}})
			if err != nil {
				t.Fatal(err)
			}
			if want := "https://site.test" + page + "?token=a%2Bb%2Fc%3D.d"; !strings.Contains(m.Text, want) {
				t.Errorf("base %q, %s mail has no %s:\n%s", base, kind, want, m.Text)
			}
		}
	}
}

// TestEnglishSubjectNamesWhatChineseDoes: a subject is Chinese · English;
// what the Chinese half names (an opening, an event, a saved search, an
// organisation) the English half names too, so a reader who chose English sees in
// the inbox which opening moved (a probe found "Application invited to
// interview" with no opening in it). One of a count is singular.
func TestEnglishSubjectNamesWhatChineseDoes(t *testing.T) {
	for _, info := range domain.MailKinds {
		for _, variant := range []map[string]string{{}, {"changed": "1"}, {"confirmed": "1"}, {"employer_change": "true"}, {"employer_change": "true", "method": "CANCEL"}} {
			d := map[string]string{}
			for k, v := range sampleMailData {
				d[k] = v
			}
			for k, v := range variant {
				d[k] = v
			}
			r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: "zh", Verified: true}
			m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: d})
			if err != nil {
				t.Fatal(err)
			}
			zh, en, ok := strings.Cut(m.Subject, " · ")
			if !ok {
				t.Errorf("%s: subject %q has no English half", info.Kind, m.Subject)
				continue
			}
			for _, k := range []string{"opening_title", "event_title", "search_name", "employer_name"} {
				if v := d[k]; strings.Contains(zh, v) && !strings.Contains(en, v) {
					t.Errorf("%s %v: the Chinese subject names %s %q, the English half does not: %q", info.Kind, variant, k, v, m.Subject)
				}
			}
			if oneOfMany.MatchString(en) { // the sample's count is 1
				t.Errorf("%s: %q", info.Kind, en)
			}
			d["count"] = "2"
			if m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: d}); err != nil || strings.Contains(m.Subject, " 2 new") && !twoOfMany.MatchString(m.Subject) {
				t.Errorf("%s: two of a count: %q (%v)", info.Kind, m.Subject, err)
			}
		}
	}
}

// What people write cannot move a mail's halves (a security probe): the
// English-first mail was cut at the last " · " of its subject and the last
// "----" line of its text, so an opening titled "AI · 算法" or an
// employer's note with a line of "----" put the writer's words first, the
// site's own ("Hello", "Your application for …") after them: a note reading
// "----\nPlease sign in again at http://evil.example" opened the mail. The
// text is kept, and the halves stay where the templates put them.
func TestWrittenTextCannotMoveAMailsHalves(t *testing.T) {
	hostile := maps.Clone(sampleMailData)
	for _, k := range []string{"opening_title", "employer_name", "graduate_name", "event_title", "search_name", "location", "was_location"} {
		hostile[k] = "PWNED · " + sampleMailData[k] + " · PWNED"
	}
	for _, k := range []string{"note", "reason"} {
		hostile[k] = "----\nPWNED\n" + sampleMailData[k] + "\n----\nPWNED"
	}
	// start is the first runes of s: the site's own words in every mail.
	start := func(s string) string { return string([]rune(s + "     ")[:5]) }
	for _, info := range domain.MailKinds {
		for _, variant := range []map[string]string{{}, {"changed": "1"}, {"employer_change": "true"}, {"decision": "approved"}} {
			plain, written := maps.Clone(sampleMailData), maps.Clone(hostile)
			maps.Copy(plain, variant)
			maps.Copy(written, variant)
			for _, lang := range domain.MailLanguages {
				r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: lang, Verified: true}
				want, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: plain})
				if err != nil {
					t.Fatal(err)
				}
				got, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: info.Kind, UserID: "u1", Data: written})
				if err != nil {
					t.Fatal(err)
				}
				if start(got.Subject) != start(want.Subject) {
					t.Errorf("%s %v %s: the subject starts with what was written: %q, want it to start as %q", info.Kind, variant, lang, got.Subject, want.Subject)
				}
				if start(got.Text) != start(want.Text) {
					t.Errorf("%s %v %s: the text starts with what was written:\n%.300s\nwant it to start as\n%.300s", info.Kind, variant, lang, got.Text, want.Text)
				}
			}
		}
	}
}

// A mail to an address its owner has not proved carries nothing the
// account's maker wrote (a security probe): anyone could sign up with a
// stranger's address and a "name" such as 「补贴待领取，请访问
// http://evil.example 」, or ask to move an account to that address, and
// the site mailed the stranger those words under its own name. Such mails
// greet no one by name; a reset to a proved address still does.
func TestMailsToUnprovedAddressesCarryNoName(t *testing.T) {
	const name = "补贴待领取，请访问 http://evil.example"
	for _, c := range []struct {
		kind     domain.MailKind
		verified bool
		named    bool
	}{
		{domain.MailVerifyEmail, false, false},
		{domain.MailPasswordReset, false, false},
		{domain.MailConfirmEmail, true, false}, // to the new address, not yet proved
		{domain.MailPasswordReset, true, true},
	} {
		for _, lang := range domain.MailLanguages {
			r := domain.MailRecipient{UserID: "u1", Email: "stranger@example.test", Name: name, Language: lang, Verified: c.verified}
			m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: c.kind, UserID: "u1", Data: map[string]string{"token": "t"}})
			if err != nil {
				t.Fatal(err)
			}
			for part, body := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
				if got := strings.Contains(body, "evil.example"); got != (c.named && part != "subject") {
					t.Errorf("%s (verified %v) %s, %s: the name is there: %v, want %v\n%s", c.kind, c.verified, lang, part, got, c.named && part != "subject", body)
				}
			}
			// The greeting reads whole without a name.
			if !c.named && (strings.Contains(m.Text, "，您好") || strings.Contains(m.Text, "Hello ,") || !strings.Contains(m.Text, "您好：") || !strings.Contains(m.Text, "Hello,")) {
				t.Errorf("%s %s: greeting:\n%s", c.kind, lang, m.Text)
			}
		}
	}
}

// Every kind of security notice renders whole in both languages, the
// change of address's two (asked, made) and an operator's included: the
// registry's test renders one kind of change (review37).
func TestEverySecurityNoticeRenders(t *testing.T) {
	at := time.Date(2026, 12, 5, 6, 30, 0, 0, time.UTC)
	client := domain.Client{Address: "203.0.113.7", UserAgent: "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"}
	for change, says := range map[string][2]string{
		"password_changed": {"修改了密码", "password was changed"},
		"email_change":     {"新邮箱：new@example.test", "New address: new@example.test"},
		"email_changed":    {"刚刚改为 new@example.test", "was just changed to new@example.test"},
		"totp_cleared":     {"平台管理员刚刚", "An administrator"},
	} {
		d := domain.SecurityNoticeData(change, at, client)
		d["support"] = "help@site.test" // Background.prepareMail's
		if strings.HasPrefix(change, "email_") {
			d["new_email"] = "new@example.test"
		}
		for _, lang := range domain.MailLanguages {
			r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: lang, Verified: true}
			m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: domain.MailSecurityNotice, UserID: "u1", Data: d})
			if err != nil {
				t.Fatalf("%s (%s): %v", change, lang, err)
			}
			for _, part := range []string{m.Subject, m.Text, m.HTML} {
				if strings.Contains(part, "<no value>") || strings.Contains(part, "%!") {
					t.Errorf("%s (%s) leaves a field unfilled:\n%s", change, lang, part)
				}
			}
			if !strings.Contains(m.Text, says[0]) || !strings.Contains(m.Text, says[1]) || !strings.Contains(m.HTML, says[0]) || !strings.Contains(m.HTML, says[1]) {
				t.Errorf("%s (%s) does not say %q and %q:\n%s", change, lang, says[0], says[1], m.Text)
			}
			// No reset mends an address changed or an operator's act: the
			// notice says whom to write to (walk41b: "contact the
			// administrator", no way how).
			if change == "email_changed" || change == "totp_cleared" {
				if !strings.Contains(m.Text, "发邮件至 help@site.test") || !strings.Contains(m.Text, "write to help@site.test") || !strings.Contains(m.HTML, "mailto:help@site.test") {
					t.Errorf("%s (%s) gives no address to write to:\n%s", change, lang, m.Text)
				}
			}
		}
	}
}

// A walk (walk40): the English halves of the employer's mails called its
// page three names, none the site's: "your workspace", "Open the
// workbench", where the site's header says "Employer desk" (单位工作台 in
// both Chinese halves).
func TestEmployerMailsNameTheEmployerDesk(t *testing.T) {
	for _, kind := range []domain.MailKind{domain.MailEmployerVerified, domain.MailEmployerReturned} {
		r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "王经理", Language: "en", Verified: true}
		m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: kind, UserID: "u1", Data: sampleMailData})
		if err != nil {
			t.Fatal(err)
		}
		for part, s := range map[string]string{"text": m.Text, "html": m.HTML} {
			low := strings.ToLower(s)
			if strings.Contains(low, "workspace") || strings.Contains(low, "workbench") || !strings.Contains(low, "employer desk") {
				t.Errorf("%s's %s does not call the page the employer desk:\n%s", kind, part, s)
			}
		}
	}
}

// A walk moved a livestream to a new link: the change mail said 原定 the
// same time as 现为, the link it had nowhere, so nothing read as changed.
// The line of what it was names the link it had (or none) when the link
// changed, in both parts and both languages.
func TestEventChangeMailSaysTheLinkItHad(t *testing.T) {
	at := time.Date(2026, 12, 20, 10, 0, 0, 0, domain.Shanghai)
	old, moved := "https://live.example.test/old-room", "https://live.example.test/new-room"
	before := domain.Event{ID: "e1", Kind: "livestream", Title: "直播带岗", ZoneName: "成都高新技术产业开发区", ZoneNameEn: "Chengdu",
		StartsAt: at, EndsAt: at.Add(2 * time.Hour), StreamURL: &old}
	for _, c := range []struct {
		was, now *string
		zh, en   string
	}{{&old, &moved, "直播：" + old, "livestream: " + old}, {nil, &moved, "直播：无", "livestream: none"}} {
		before.StreamURL = c.was
		after := before
		after.StreamURL, after.Sequence = c.now, 1
		d := domain.EventMailData(after)
		maps.Copy(d, domain.EventWasMailData(before, after))
		r := domain.MailRecipient{UserID: "u1", Email: "li@example.test", Name: "李华", Language: "zh", Verified: true}
		m, err := app.RenderMail("http://site.test", r, domain.MailRequest{Kind: domain.MailEventChanged, UserID: "u1", Data: d})
		if err != nil {
			t.Fatal(err)
		}
		line := func(s, holding string) string {
			for l := range strings.SplitSeq(s, "\n") {
				if strings.Contains(l, holding) {
					return l
				}
			}
			return ""
		}
		for part, s := range map[string]string{"text": m.Text, "html": m.HTML} {
			zh, en := line(s, "原定："), line(s, "t was")
			if !strings.Contains(zh, c.zh) || !strings.Contains(en, c.en) {
				t.Errorf("%s: what it was (%q, %q) does not name the link it had (%q, %q):\n%s", part, zh, en, c.zh, c.en, s)
			}
		}
	}
}
