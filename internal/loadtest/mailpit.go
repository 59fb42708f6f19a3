package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// MailpitCounter reads the season's mail through Mailpit's HTTP API: the
// verification links the graduates follow, and how many mails each got.
type MailpitCounter struct {
	URL    string // Mailpit's HTTP address (GRADZONE_MAILPIT_URL)
	Client *http.Client
}

type mailpitMessage struct {
	ID   string `json:"ID"`
	Text string `json:"Text"`
	To   []struct {
		Address string `json:"Address"`
	} `json:"To"`
}

func (m *MailpitCounter) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+path, nil)
	if err != nil {
		return err
	}
	res, err := m.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s: %s", path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// Count is how many mails address holds.
func (m *MailpitCounter) Count(ctx context.Context, address string) (int, error) {
	var res struct {
		Messages []mailpitMessage `json:"messages"`
	}
	q := url.Values{"query": {fmt.Sprintf("to:%q", address)}, "limit": {"500"}}
	if err := m.get(ctx, "/api/v1/search?"+q.Encode(), &res); err != nil {
		return 0, err
	}
	n := 0
	for _, msg := range res.Messages {
		for _, to := range msg.To {
			if strings.EqualFold(to.Address, address) {
				n++
				break
			}
		}
	}
	return n, nil
}

// WaitFor waits up to d until address holds at least n mails and returns
// how many it holds then.
func (m *MailpitCounter) WaitFor(ctx context.Context, address string, n int, d time.Duration) (int, error) {
	deadline := time.Now().Add(d)
	for {
		got, err := m.Count(ctx, address)
		if err != nil || got >= n || time.Now().After(deadline) {
			return got, err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

var tokenLink = regexp.MustCompile(`https?://[^\s"<>]+`)

// LinkToken waits for a mail to address with a link to path and returns the
// link's token parameter.
func (m *MailpitCounter) LinkToken(ctx context.Context, address, path string) (string, error) {
	if _, err := m.WaitFor(ctx, address, 1, time.Minute); err != nil {
		return "", err
	}
	var res struct {
		Messages []mailpitMessage `json:"messages"`
	}
	q := url.Values{"query": {fmt.Sprintf("to:%q", address)}, "limit": {"50"}}
	if err := m.get(ctx, "/api/v1/search?"+q.Encode(), &res); err != nil {
		return "", err
	}
	for _, s := range res.Messages {
		var msg mailpitMessage
		if err := m.get(ctx, "/api/v1/message/"+url.PathEscape(s.ID), &msg); err != nil {
			return "", err
		}
		for _, l := range tokenLink.FindAllString(msg.Text, -1) {
			if u, err := url.Parse(l); err == nil && u.Path == path && u.Query().Get("token") != "" {
				return u.Query().Get("token"), nil
			}
		}
	}
	return "", fmt.Errorf("no mail to %s with a link to %s", address, path)
}
