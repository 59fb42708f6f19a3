package app

import (
	"sync"

	"github.com/gradzone/gradzone/internal/domain"
)

// MailCounts is what this process did with mail of one kind: the mails it
// handed to the SMTP server, and the tries that failed to (the server
// refused or could not be reached, the mail could not be rendered, or no
// server is configured). A failed try is retried by the queue; a mail
// sent after three failures counts one sent and three failures. Refused
// counts the mails an address's server refused for good (domain.MailRefused),
// which are not the server's failures and are not tried again.
type MailCounts struct{ Sent, Failed, Refused int64 }

// mailStats counts per kind; its zero value is ready.
type mailStats struct {
	mu     sync.Mutex
	counts map[domain.MailKind]*MailCounts
}

func (s *mailStats) add(kind domain.MailKind, sent bool) {
	s.count(kind, func(c *MailCounts) {
		if sent {
			c.Sent++
		} else {
			c.Failed++
		}
	})
}

func (s *mailStats) refused(kind domain.MailKind) {
	s.count(kind, func(c *MailCounts) { c.Refused++ })
}

// count applies inc to kind's counts under the lock.
func (s *mailStats) count(kind domain.MailKind, inc func(*MailCounts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counts == nil {
		s.counts = map[domain.MailKind]*MailCounts{}
	}
	c := s.counts[kind]
	if c == nil {
		c = &MailCounts{}
		s.counts[kind] = c
	}
	inc(c)
}

// MailStats returns the counts of every kind of the registry (zero until a
// mail of it is tried, so that a rate over them exists from the start),
// and of any other kind tried. The metrics expose them.
func (b *Background) MailStats() map[domain.MailKind]MailCounts {
	out := make(map[domain.MailKind]MailCounts, len(domain.MailKinds))
	for _, i := range domain.MailKinds {
		out[i.Kind] = MailCounts{}
	}
	b.mailStats.mu.Lock()
	defer b.mailStats.mu.Unlock()
	for k, c := range b.mailStats.counts {
		out[k] = *c
	}
	return out
}
