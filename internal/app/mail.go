package app

// The mail pipeline. A change that causes a mail inserts a mail job
// (domain.Job{Kind: domain.JobSendMail, Mail: &domain.MailRequest{…}}) in
// its own transaction (internal/postgres: s.enqueue(tx, mailJob(…))), so the
// change and the promise of its mail commit together. The job queue
// (internal/jobs, queue "mail") then calls Background.SendMail, which
// decides whether the user may receive it (domain.MayReceive), renders it
// from the kind's templates (mailtmpl/<kind>.txt and .html, Chinese first,
// English below) and hands it to the Mailer (internal/mail), once per send
// key: the key is recorded (mail_sends) after the SMTP server took the
// mail, and a job run again finds it and sends nothing.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"regexp"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/google/uuid"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// Mailer hands a rendered mail to the outgoing mail server and returns its
// Message-ID (internal/mail implements it).
type Mailer interface {
	Deliver(ctx context.Context, m domain.MailMessage) (string, error)
}

// MailWorkStore is what sending mail needs from persistence.
type MailWorkStore interface {
	// MailRecipient returns the user as a mail recipient. Errors: not_found.
	MailRecipient(ctx context.Context, userID string) (domain.MailRecipient, error)
	// MailSent reports whether a mail with the send key went out.
	MailSent(ctx context.Context, key string) (bool, error)
	// RecordMailSent records the send key of a mail the server took.
	RecordMailSent(ctx context.Context, key string, kind domain.MailKind, userID, messageID string) error
	// RecordMailRefused unverifies the user's address email, which its
	// server refused for good with reply at at (domain.MailRefused), unless
	// it was proved since.
	RecordMailRefused(ctx context.Context, userID, email, reply string, at time.Time) error
	// RecordEmailChangeRefused ends the user's change of address of token
	// tokenID, whose confirmation mail the new address's server refused
	// for good with reply at at, and tells the user (a notification), while
	// the change still waited. The account's own address is left as it is.
	RecordEmailChangeRefused(ctx context.Context, userID, tokenID, reply string, at time.Time) error
	// CreatePasswordReset stores t for the account with the email, if there
	// is one, and queues its reset mail with send key mailKey, in one
	// transaction. It reports whether the account exists.
	CreatePasswordReset(ctx context.Context, email string, t domain.AccountToken, mailKey string) (bool, error)
	// EmailChangeAddress returns the new address of a change-of-address
	// token while its link works, else "".
	EmailChangeAddress(ctx context.Context, tokenID string) (string, error)
	// MailTokenAddress returns the address a mailed token was made for
	// ("" when there is no such token).
	MailTokenAddress(ctx context.Context, tokenID string) (string, error)
	// TakeMailSlot counts one mail against every counter at now, all or
	// none; when a counter is full it counts nothing and returns it.
	TakeMailSlot(ctx context.Context, counters []domain.MailRateCounter, now time.Time) (full domain.MailRateCounter, ok bool, err error)
	// ReturnMailSlot gives back the slot TakeMailSlot took at now, for a
	// mail that was not sent.
	ReturnMailSlot(ctx context.Context, counters []domain.MailRateCounter, now time.Time) error
}

// Channel is one way a message reaches a person. Mail is the first and
// today the only one; SMS (what Chinese graduates read most) and WeChat
// template messages are meant to be added as further Channels chosen by
// configuration (plan: docs/decisions.md, "Channels"). A Channel gets the
// recipient (for a phone number or an OpenID later) and the rendered
// message, and returns the provider's ID of what it sent.
type Channel interface {
	Name() string
	Send(ctx context.Context, r domain.MailRecipient, m domain.MailMessage) (string, error)
}

// MailChannel is the mail Channel: the Mailer (internal/mail, go-mail).
type MailChannel struct{ Mailer Mailer }

// Name implements Channel.
func (MailChannel) Name() string { return "mail" }

// Send implements Channel.
func (c MailChannel) Send(ctx context.Context, _ domain.MailRecipient, m domain.MailMessage) (string, error) {
	return c.Mailer.Deliver(ctx, m)
}

// channel is the Channel messages go out by: mail, the one configured.
func (b *Background) channel() Channel { return MailChannel{Mailer: b.Mailer} }

// errNoMailer: GRADZONE_SMTP_URL is not set. Such a process does not work
// the mail queue (jobs.Config.SendsMail); should a mail reach it anyway, the
// job fails and is retried rather than pretending it sent.
var errNoMailer = errors.New("no outgoing mail server configured (GRADZONE_SMTP_URL)")

//go:embed mailtmpl
var mailFS embed.FS

// mailFuncs are the templates' helpers: digest decodes a digest's lines
// (domain.DigestData), slots the times an interview mail offers
// (domain.SlotsMailData), when an event's or an interview's time and
// slotWhen an offered one's.
var mailFuncs = map[string]any{"digest": domain.DigestItems, "slots": domain.MailSlots, "statusSentence": domain.StatusSentence,
	"weekday": mailWeekday, "when": mailWhen, "slotWhen": slotWhen, "button": func() htmltemplate.CSS { return mailButton }}

// mailButton styles a mail's main action as a button (inline: mail
// clients drop style sheets).
const mailButton = "display:inline-block;padding:10px 20px;background:#1d4ed8;color:#ffffff;" +
	"text-decoration:none;border-radius:6px;font-weight:600"

// The frame every HTML mail's body is put in (frameMail): a white card at
// most 600 px wide on a grey ground, of tables (old clients lay tables out
// best); Outlook for Windows, which ignores max-width altogether, gets a
// 600 px table of its own in conditional comments. The type is set on the
// card's cell, because some clients (Gmail on phones, Outlook.com) drop the
// styles of <body>. The frame is added after the templates ran: html/template
// would drop the comments.
const (
	// mailFrameHeading stands in mailFrameTop for the site's name.
	mailFrameHeading = "{{heading}}"
	mailFrameTop     = `<body style="margin:0;padding:0;background:#f3f4f6">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6"><tr><td align="center" style="padding:16px 8px">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px">
<tr><td style="padding:14px 24px 0;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;font-weight:700;color:#1d4ed8">` + mailFrameHeading + `</td></tr>
<tr><td class="mail-body" style="padding:8px 24px 20px;overflow-wrap:anywhere;word-break:break-word;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.6;color:#1f2937">`
	mailFrameBottom = `</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>`
)

// frameMail puts the body of an HTML mail in the mail frame, headed by the
// site's name in the mail's first language.
func frameMail(html, lang string) string {
	open := strings.Index(html, "<body")
	end := strings.LastIndex(html, "</body>")
	if open < 0 || end < open {
		return html
	}
	start := open + strings.Index(html[open:], ">") + 1
	top := strings.Replace(mailFrameTop, mailFrameHeading, "gradzone · "+bilingual(lang, "科研助理", "Research assistants"), 1)
	return html[:open] + top + html[start:end] + mailFrameBottom + html[end+len("</body>"):]
}

// bilingual is zh and en, the mail's first language first: a mail's frame
// and footer are read before its text.
func bilingual(lang, zh, en string) string {
	if lang == "en" {
		return en + " · " + zh
	}
	return zh + " · " + en
}

// mailWeekday is the weekday of a mail's RFC 3339 time in lang ("" when
// the time does not parse).
func mailWeekday(lang, rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return ""
	}
	return domain.WeekdayIn(lang, t)
}

// mailWhen writes the time a mail's data holds under prefix ("" or
// "was_": its starts_at and ends_at, RFC 3339) as domain.RangeIn does, in
// lang: past midnight each date with its weekday, as the site writes it. A
// mail queued before its data held was_ends_at reads the end from
// was_ends_local (a time of day on the start's date, or a date and time);
// one without times, its local texts alone.
func mailWhen(lang string, d map[string]string, prefix string) string {
	startLocal, endLocal := d[prefix+"starts_local"], d[prefix+"ends_local"]
	start, err := time.Parse(time.RFC3339, d[prefix+"starts_at"])
	if err != nil {
		return startLocal + "–" + endLocal + beijingTime(lang)
	}
	end, err := time.Parse(time.RFC3339, d[prefix+"ends_at"])
	if err != nil {
		day := domain.DateOf(start).String() + " "
		if end, err = time.ParseInLocation("2006-01-02 15:04", endLocal, domain.Shanghai); err != nil {
			end, _ = time.ParseInLocation("2006-01-02 15:04", day+endLocal, domain.Shanghai)
		}
	}
	if end.IsZero() {
		return startLocal + "–" + endLocal + " " + domain.WeekdayIn(lang, start)
	}
	return domain.RangeIn(lang, start, end)
}

// beijingTime says in lang that a time written without a weekday is
// Beijing's.
func beijingTime(lang string) string {
	if lang == "en" {
		return " (Beijing time)"
	}
	return "（北京时间）"
}

// slotWhen writes an offered interview time as mailWhen does; one queued
// before its end was kept, as it was written then (When).
func slotWhen(lang string, s domain.MailSlot) string {
	start, err := time.Parse(time.RFC3339, s.StartsAt)
	end, err2 := time.Parse(time.RFC3339, s.EndsAt)
	if err != nil || err2 != nil {
		return s.When + beijingTime(lang)
	}
	return domain.RangeIn(lang, start, end)
}

var (
	mailText = texttemplate.Must(texttemplate.New("").Funcs(mailFuncs).ParseFS(mailFS, "mailtmpl/*.txt"))
	mailHTML = htmltemplate.Must(htmltemplate.New("").Funcs(mailFuncs).ParseFS(mailFS, "mailtmpl/*.html"))
)

// PreferencesPath is the page of the user's mail settings; every mail's
// footer links to it.
const PreferencesPath = "/account/notifications"

// MailView is what a mail template sees.
type MailView struct {
	Name string
	// Link is the kind's main link (already absolute), empty when it has none.
	Link string
	// SiteURL is GRADZONE_PUBLIC_URL.
	SiteURL string
	// Lang is the language the mail puts first (zh or en): what a calendar
	// entry, which has room for one, is written in.
	Lang string
	Data map[string]string
}

// tokenLink is the link to path on the site at base that carries a signed
// token: what every mailed or scanned link is (verify, reset, unsubscribe,
// check-in, interview pick).
func tokenLink(base, path, token string) string {
	return strings.TrimRight(base, "/") + path + "?token=" + url.QueryEscape(token)
}

// mailLinks builds each kind's main link from the public URL and the
// request's data. A kind without a link has no entry.
var mailLinks = map[domain.MailKind]func(base string, d map[string]string) string{
	domain.MailVerifyEmail: func(base string, d map[string]string) string {
		return tokenLink(base, "/verify-email", d["token"])
	},
	domain.MailPasswordReset: func(base string, d map[string]string) string {
		return tokenLink(base, "/reset-password", d["token"])
	},
	// The verification page takes a change's link too (Accounts.VerifyEmail).
	domain.MailConfirmEmail: func(base string, d map[string]string) string {
		return tokenLink(base, "/verify-email", d["token"])
	},
}

// mailExtras adds, per kind, what a mail carries beyond its templates and
// its List-Unsubscribe: alternatives or attachments (an invitation's
// text/calendar). A kind without extras has no entry.
var mailExtras = map[domain.MailKind]func(m *domain.MailMessage, v MailView) error{}

// RenderMail renders req for r from the kind's templates: `<kind>.txt`
// defines "<kind>.subject" and "<kind>.text", `<kind>.html` defines
// "<kind>.html" (optional).
func RenderMail(publicURL string, r domain.MailRecipient, req domain.MailRequest) (domain.MailMessage, error) {
	base := strings.TrimRight(publicURL, "/")
	v := MailView{Name: r.Name, SiteURL: base, Lang: r.Language, Data: req.Data}
	if link, ok := mailLinks[req.Kind]; ok {
		v.Link = link(base, req.Data)
	}
	// The templates see what people wrote with no separator of the halves
	// in it (unsplittable): the calendar and other extras get it as it is.
	tv := v
	tv.Name, tv.Data = unsplittable(v.Name), make(map[string]string, len(v.Data))
	if info, _ := req.Kind.Info(); info.ToUnverified && (!r.Verified || req.Kind == domain.MailConfirmEmail) {
		// An address its owner has not proved (a sign-up's, a change's new
		// one) is greeted by no name: whoever made the account wrote it,
		// and anyone can give a stranger's address with a "name" such as
		// 「补贴待领取，请访问 http://evil.example」 (a security probe).
		tv.Name = ""
	}
	for key, val := range v.Data {
		tv.Data[key] = unsplittable(val)
	}
	k := string(req.Kind)
	var subj, text, html bytes.Buffer
	if err := mailText.ExecuteTemplate(&subj, k+".subject", tv); err != nil {
		return domain.MailMessage{}, fmt.Errorf("mail %s: %w", k, err)
	}
	if err := mailText.ExecuteTemplate(&text, k+".text", tv); err != nil {
		return domain.MailMessage{}, fmt.Errorf("mail %s: %w", k, err)
	}
	m := domain.MailMessage{To: []string{r.Email}, Subject: strings.TrimSpace(subj.String()), Text: text.String()}
	if mailHTML.Lookup(k+".html") != nil {
		if err := mailHTML.ExecuteTemplate(&html, k+".html", tv); err != nil {
			return domain.MailMessage{}, fmt.Errorf("mail %s: %w", k, err)
		}
		m.HTML = html.String()
	}
	if r.Language == "en" {
		// The Chinese half's links open the Chinese page: who reads that
		// half reads Chinese. The rest, the English half, what is in both
		// languages and the footer, open the English one (below).
		if i := strings.LastIndex(m.Text, textHalves); i >= 0 {
			m.Text = inLanguage(m.Text[:i], base, "&", "zh") + m.Text[i:]
		}
		m.Subject, m.Text = englishFirst(m.Subject, " · "), englishFirst(m.Text, textHalves)
		m.HTML = englishFirstHTML(m.HTML, func(zh string) string { return inLanguage(zh, base, "&amp;", "zh") })
	} else {
		// Each half's links open the page in its language: who reads a half
		// reads its language (a link with lang is remembered, so the Chinese
		// half's links without one opened English pages once an English
		// link had been followed). What is in both languages and the footer
		// (below, not yet added) carry no lang: the account's language. In
		// the HTML that is all after the rule but what is marked English (a
		// saved search's 退订… · Unsubscribe… link, a token link standing
		// alone below the English button opened English pages).
		if i := strings.LastIndex(m.Text, textHalves); i >= 0 {
			m.Text = inLanguage(m.Text[:i], base, "&", "zh") + inLanguage(m.Text[i:], base, "&", "en")
		}
		if i := strings.Index(m.HTML, "<hr>"); i >= 0 {
			m.HTML = chineseHalfHTML(m.HTML[:i], base) + englishPartsHTML(m.HTML[i:], base)
		}
	}
	addFooter(&m, base+PreferencesPath, r.Language)
	if r.Language == "en" {
		m.Text, m.HTML = inEnglish(m.Text, base, "&"), inEnglish(m.HTML, base, "&amp;")
	}
	m.Text, m.HTML = contractTokenLinks(m.Text, m.HTML)
	m.HTML = frameMail(m.HTML, r.Language)
	oneClickUnsubscribe(&m, req.Kind, v)
	if extra, ok := mailExtras[req.Kind]; ok {
		if err := extra(&m, v); err != nil {
			return domain.MailMessage{}, fmt.Errorf("mail %s: %w", k, err)
		}
	}
	return m, nil
}

// unsplittable is s, a value a mail's template writes (a title, a name, an
// employer's note), unable to form the separators a mail's halves are cut
// at: the subject's " · " and the text's line of "----" (textHalves). A
// mail put English first is cut at the last of each, so an opening titled
// "AI · 算法", or a note holding a line "----", put the writer's words
// before the site's (a security probe: "----\nPlease sign in again at
// http://evil.example" opened the mail). A space beside a middle dot
// becomes a no-break space and a line of "----" gets one after it: the
// text reads the same.
func unsplittable(s string) string {
	if strings.Contains(s, "·") {
		r := []rune(s)
		for i, c := range r {
			if c == ' ' && (i > 0 && r[i-1] == '·' || i+1 < len(r) && r[i+1] == '·') {
				r[i] = '\u00a0'
			}
		}
		s = string(r)
	}
	if strings.Contains(s, "----") {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if l == "----" {
				lines[i] = "----\u00a0"
			}
		}
		s = strings.Join(lines, "\n")
	}
	return s
}

// siteLinkTail is what follows the site's address in a mail's link: a
// path and query of URL characters (a Chinese full stop after a link is
// text), then a fragment.
const siteLinkTail = `(/[A-Za-z0-9\-._~/?=&;%+]*)?(#[A-Za-z0-9\-._~]*)?`

// textHalves parts a text mail's Chinese half from its English one.
const textHalves = "\n----\n"

// inEnglish adds lang=en to every link to the site at base in s, a mail
// put English first, that has no lang yet, so the page a link opens speaks
// English too (a mail audit opened an English mail's links on Chinese
// pages); the Chinese half's links carry lang=zh by then. sep joins query
// parameters: "&amp;" in HTML.
func inEnglish(s, base, sep string) string { return inLanguage(s, base, sep, "en") }

// inLanguage adds lang=<lang> to every link to the site at base in s that
// has no lang.
func inLanguage(s, base, sep, lang string) string {
	return siteLinks(base).ReplaceAllStringFunc(s, func(match string) string {
		if strings.Contains(match, "lang=") {
			return match
		}
		body := strings.TrimRight(match, ".;") // a sentence's full stop after the link
		link, frag, hasFrag := strings.Cut(body, "#")
		if strings.Contains(link, "?") {
			link += sep + "lang=" + lang
		} else {
			link += "?lang=" + lang
		}
		if hasFrag {
			link += "#" + frag
		}
		return link + match[len(body):]
	})
}

// CONTRACT.md fixes the verification and reset links as
// {PUBLIC_URL}/verify-email?token=T and …/reset-password?token=T: where a
// mail writes them out (its text part, the HTML's link under the button)
// nothing follows T, so a script that reads the link as `token=(\S+)`
// gets T (a contract check got "T&lang=zh"). The buttons keep each half's
// lang; a link without one opens the page in the mail's language.
var (
	writtenTokenLinkText = regexp.MustCompile(`(/(?:verify-email|reset-password)\?token=[^&\s]*)&lang=(?:zh|en)`)
	writtenTokenLinkHTML = regexp.MustCompile(`(>[^<"]*/(?:verify-email|reset-password)\?token=[^&<"]*)&amp;lang=(?:zh|en)<`)
)

// contractTokenLinks writes a mail's token links out as the contract does.
func contractTokenLinks(text, html string) (string, string) {
	return writtenTokenLinkText.ReplaceAllString(text, "$1"), writtenTokenLinkHTML.ReplaceAllString(html, "$1<")
}

// siteLinkPatterns holds the compiled pattern of each site address's links:
// a replica has one address, and a sweep renders thousands of mails.
var siteLinkPatterns sync.Map // base URL → *regexp.Regexp

// siteLinks returns the pattern of base's links.
func siteLinks(base string) *regexp.Regexp {
	if re, ok := siteLinkPatterns.Load(base); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := siteLinkPatterns.LoadOrStore(base, regexp.MustCompile(regexp.QuoteMeta(base)+siteLinkTail))
	return re.(*regexp.Regexp)
}

// englishFirst puts the English half of a bilingual text first: the
// templates write Chinese, then sep, then English.
func englishFirst(s, sep string) string {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s
	}
	en, zh := strings.TrimSpace(s[i+len(sep):]), strings.TrimSpace(s[:i])
	if strings.HasPrefix(sep, "\n") {
		sep = "\n" + sep // a blank line before the separator, as in the Chinese-first text
	}
	return en + sep + zh
}

// bothLanguages opens a mail's part in both languages within the Chinese
// block (mailtmpl: one div, no div inside), which englishFirstHTML moves
// after the English text.
const bothLanguages = "<div data-both-languages>"

// englishFirstHTML puts the English part of a bilingual HTML mail first
// and marks the page English: the templates write the Chinese part, <hr>,
// then the English part, one <p lang="en"> paragraph and, where the mail has
// a button, a second <p lang="en"> holding the button in English, then the
// footer. zhLinks rewrites the Chinese part's links (not what is in both
// languages). A mail not of that shape is left as it is.
func englishFirstHTML(s string, zhLinks func(string) string) string {
	body := strings.Index(s, "<body")
	if body < 0 {
		return s
	}
	open := body + strings.Index(s[body:], ">") + 1
	rule := strings.Index(s, "<hr>")
	en := strings.Index(s, `<p lang="en">`)
	if rule < open || en < rule {
		return s
	}
	end := en + strings.Index(s[en:], "</p>") + len("</p>")
	if end < en+len("</p>") {
		return s
	}
	// The English button's paragraph, right after the text (each language's
	// block has its own button: a walk found none in the English one).
	if next := strings.TrimLeft(s[end:], " \n"); strings.HasPrefix(next, `<p lang="en"`) {
		if close := strings.Index(next, "</p>"); close >= 0 {
			end = len(s) - len(next) + close + len("</p>")
		}
	}
	// What is in both languages (an event's check-in code and links) follows
	// the first language's text, as in a Chinese-first mail (a walk: the
	// English text said "show this QR code", the code in the Chinese below).
	zh, both := s[open:rule], ""
	if before, div, after, ok := cutBothLanguages(zh); ok {
		both, zh = "\n"+div, before+after
	}
	out := s[:open] + "\n" + s[en:end] + both + "\n<hr>\n<div lang=\"zh-CN\">" + zhLinks(zh) + "</div>" + s[end:]
	// A line in both languages (why the mail came, the check-in code's
	// label, the event's links) reads English first too.
	out = bilingualSpans.ReplaceAllString(out, `<span lang="en">$2</span> · <span lang="zh-CN">$1</span>`)
	return strings.Replace(out, `<html lang="zh-CN">`, `<html lang="en">`, 1)
}

// chineseHalfHTML adds lang=zh to the links of a Chinese-first HTML mail's
// Chinese part, s, all before its <hr>: not to what is in both languages.
func chineseHalfHTML(s, base string) string {
	before, both, after, _ := cutBothLanguages(s) // without that part, before is s
	return inLanguage(before, base, "&amp;", "zh") + both + inLanguage(after, base, "&amp;", "zh")
}

// englishParts are the parts of a mail's HTML marked English: its English
// paragraphs (the text, the button) and the English words of a line in
// both languages (why the mail came).
var englishParts = regexp.MustCompile(`(?s)<p lang="en"[^>]*>.*?</p>|<span lang="en">.*?</span>`)

// englishPartsHTML adds lang=en to the links of s, part of an HTML mail,
// that stand in its parts marked English (englishParts), not to the others.
func englishPartsHTML(s, base string) string {
	return englishParts.ReplaceAllStringFunc(s, func(part string) string { return inLanguage(part, base, "&amp;", "en") })
}

// cutBothLanguages cuts s around its part in both languages (one div).
func cutBothLanguages(s string) (before, both, after string, ok bool) {
	i := strings.Index(s, bothLanguages)
	if i < 0 {
		return s, "", "", false
	}
	j := strings.Index(s[i:], "</div>")
	if j < 0 {
		return s, "", "", false
	}
	j += i + len("</div>")
	return s[:i], s[i:j], s[j:], true
}

// bilingualSpans is a line's two languages as the templates write them,
// Chinese first (neither holds a span of its own).
var bilingualSpans = regexp.MustCompile(`<span lang="zh-CN">(.*?)</span> · <span lang="en">(.*?)</span>`)

// addFooter ends every mail with the link to the recipient's mail
// settings, so a mail nobody wants can be turned off from the mail itself;
// its words follow the mail's first language.
func addFooter(m *domain.MailMessage, prefs, lang string) {
	words := bilingual(lang, "邮件设置", "Mail settings")
	m.Text = strings.TrimRight(m.Text, "\n") + "\n\n--\n" + words + ": " + prefs + "\n"
	if m.HTML == "" {
		return
	}
	foot := `<p style="color:#666;font-size:12px"><a href="` + htmltemplate.HTMLEscapeString(prefs) + `">` + words + `</a></p>`
	if i := strings.LastIndex(m.HTML, "</body>"); i >= 0 {
		m.HTML = m.HTML[:i] + foot + m.HTML[i:]
	} else {
		m.HTML += foot
	}
}

// messageID derives the Message-ID's local part from the send key: the
// same mail sent again carries the same ID, so a receiver can tell.
func messageID(key string) string {
	sum := sha256.Sum256([]byte("gradzone-mail:" + key))
	return hex.EncodeToString(sum[:16])
}

// SendMail sends the mail req asks for, at most once per send key (the
// key is recorded after the SMTP server accepted the mail; only a crash
// between the two sends it again, with the same Message-ID). A user who
// may not receive the kind (an unverified address, domain.MayReceive) or
// no longer exists gets nothing, and the job is done. A mail over its
// rate limit (b.MailLimits) returns *domain.MailThrottled and is not sent.
// An address its server refused for good is recorded as such (unverified)
// and *domain.MailRefused returned, which the queue does not retry. Other
// errors from the server are returned, so the job is retried.
func (b *Background) SendMail(ctx context.Context, key string, req domain.MailRequest) error {
	if b.Mailer == nil {
		b.mailStats.add(req.Kind, false)
		return errNoMailer
	}
	sent, err := b.Store.MailSent(ctx, key)
	if err != nil || sent {
		return err
	}
	r, err := b.Store.MailRecipient(ctx, req.UserID)
	if domain.CodeOf(err) == domain.CodeNotFound {
		b.Log.Info("mail dropped: recipient gone", "kind", req.Kind, "user_id", req.UserID)
		return nil
	}
	if err != nil {
		return err
	}
	if req.Kind == domain.MailConfirmEmail {
		// To the new address, nowhere else; not once the change was
		// confirmed, replaced or cancelled.
		if r.Email, err = b.Store.EmailChangeAddress(ctx, req.Data["token_id"]); err != nil {
			return err
		}
	}
	if id := req.Data["token_id"]; id != "" && (req.Kind == domain.MailVerifyEmail || req.Kind == domain.MailPasswordReset) {
		// Its link works for the address it was made for only (a token is
		// bound to it): run late (a retry, a snooze), after the account's
		// address changed, it would mail the new address a dead link
		// (review37).
		to, err := b.Store.MailTokenAddress(ctx, id)
		if err != nil {
			return err
		}
		if to != r.Email {
			b.Log.Info("mail withheld: its link was made for an address the account no longer has", "kind", req.Kind, "user_id", req.UserID)
			return nil
		}
	}
	if to := req.Data["to"]; req.Kind == domain.MailSecurityNotice && to != "" {
		// A notice of a change of address warns the address it replaces,
		// even once the change is made (RequestEmailChange).
		r.Email = to
	}
	if !domain.MayReceive(r, req.Kind) {
		b.Log.Info("mail withheld: address not verified, or the kind turned off", "kind", req.Kind, "user_id", req.UserID)
		return nil
	}
	if superseded, err := b.eventMailSuperseded(ctx, req); err != nil || superseded {
		return err
	}
	m, err := RenderMail(b.PublicURL, r, b.prepareMail(req))
	if err != nil {
		b.mailStats.add(req.Kind, false)
		return err
	}
	m.MessageID = messageID(key)
	// Counted before sending, after every check that sends nothing: a mail
	// over a limit waits (the job is snoozed until the window ends) and is
	// sent then, once, under the same key. A send that fails after taking
	// its slot leaves it taken — the limit errs on the side of less mail —
	// unless no server was reached (domain.ErrMailNotSent).
	now := b.now()
	counters := b.MailLimits.Counters(req.Kind, r.Email)
	full, ok, err := b.Store.TakeMailSlot(ctx, counters, now)
	if err != nil {
		return err
	}
	if !ok {
		wait := full.WindowStart(now).Add(full.Window).Sub(now)
		b.Log.Info("mail throttled", "kind", req.Kind, "user_id", req.UserID, "limit", full.Key, "wait", wait)
		return &domain.MailThrottled{Key: full.Key, Wait: wait}
	}
	id, err := b.channel().Send(ctx, r, m)
	var refused *domain.MailRefused
	if errors.As(err, &refused) {
		// The address's trouble, not the mail server's: never tried again
		// (the job is cancelled) and counted apart
		// (gradzone_mail_refused_total). The log names the codes only: the
		// reply often repeats the address.
		record, told := b.Store.RecordMailRefused, "the address is unverified until proved again"
		if req.Kind == domain.MailConfirmEmail {
			// The new address of a change refused it: the change ends and
			// the user is told; the account's own address was not refused.
			record = func(ctx context.Context, userID, _, reply string, at time.Time) error {
				return b.Store.RecordEmailChangeRefused(ctx, userID, req.Data["token_id"], reply, at)
			}
			told = "the change of address ends if it still waits" // a later one may have replaced it
		}
		if rerr := record(ctx, r.UserID, r.Email, refused.Reply, b.now()); rerr != nil {
			return rerr // retried: the refusal must be recorded
		}
		b.mailStats.refused(req.Kind)
		b.Log.Warn("mail refused for good by the recipient's server; "+told,
			"kind", req.Kind, "user_id", req.UserID, "code", refused.Code)
		return fmt.Errorf("mail %s: %w", req.Kind, err)
	}
	// Counted for the metrics (gradzone_mail_sent_total and
	// gradzone_mail_failures_total): an operator alerts on them.
	b.mailStats.add(req.Kind, err == nil)
	if err != nil {
		// An operator watching warnings sees a mail server in trouble (the
		// queue logs its retries at INFO only, an operator probe).
		err = withoutAddress(err, r.Email)
		b.Log.Warn("mail not sent; the queue tries again", "kind", req.Kind, "err", err)
		if errors.Is(err, domain.ErrMailNotSent) {
			// Given back even when the job's time ran out meanwhile.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if rerr := b.Store.ReturnMailSlot(rctx, counters, now); rerr != nil {
				b.Log.Warn("mail slot not given back", "kind", req.Kind, "err", rerr)
			}
		}
		return fmt.Errorf("mail %s: %w", req.Kind, err)
	}
	return b.Store.RecordMailSent(ctx, key, req.Kind, r.UserID, id)
}

// withoutAddress is err with the address written "<address>": go-mail's
// errors name the recipients, and the log and the job's stored error hold
// no personal data (docs/security.md).
func withoutAddress(err error, address string) error {
	text := err.Error()
	if address == "" || !strings.Contains(text, address) {
		return err
	}
	return redacted{err, strings.ReplaceAll(text, address, "<address>")}
}

// redacted is an error told in other words, still matching what it wraps.
type redacted struct {
	err  error
	text string
}

func (r redacted) Error() string { return r.text }
func (r redacted) Unwrap() error { return r.err }

// PasswordResetRequested answers a password-reset request in the
// background: for a registered address it stores a fresh reset token and
// queues the mail carrying it (send key derived from key, so a request
// answered twice after a crash mails once). An unknown address gets
// nothing.
func (b *Background) PasswordResetRequested(ctx context.Context, key, email string) error {
	t, err := newAccountToken(b.Links, domain.TokenPasswordReset, b.now())
	if err != nil {
		return err
	}
	_, err = b.Store.CreatePasswordReset(ctx, email, t, key)
	return err
}

// errNoLinks: the key that derives mailed tokens is not wired.
var errNoLinks = errors.New("app: Links (the mail-token key) is not wired")

// newAccountToken makes a one-time token of purpose, expiring after the
// purpose's lifetime: a random row ID and the token derived from it
// (auth.Links.MailToken), so only the ID needs to travel in the mail job.
func newAccountToken(links *auth.Links, p domain.TokenPurpose, now time.Time) (domain.AccountToken, error) {
	if links == nil {
		return domain.AccountToken{}, errNoLinks
	}
	id := uuid.NewString()
	tok := links.MailToken(id)
	ttl := domain.VerifyEmailTTL
	if p == domain.TokenPasswordReset {
		ttl = domain.PasswordResetTTL
	}
	return domain.AccountToken{ID: id, Purpose: p, Token: tok, Hash: auth.HashRefreshToken(tok), Expires: now.Add(ttl)}, nil
}
