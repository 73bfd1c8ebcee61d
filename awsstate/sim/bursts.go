package sim

import (
	"fmt"
	"sync"
	"time"
)

// Bursts is a periodic throttling pattern: for For out of every Every, on
// the server's own clock, every call to Service (a signing name: "ec2")
// is answered with the protocol's throttling error, as when a deploy
// script elsewhere in the account exhausts the shared rate limit. The
// burst sits at the end of each period, so a fresh server starts with
// Every-For of calm. The zero value is off.
type Bursts struct {
	Every   time.Duration `json:"every"`
	For     time.Duration `json:"for"`
	Service string        `json:"service"`
}

// s5Bursts is story S5's pattern: EC2 throttled 15 s of every minute.
var s5Bursts = Bursts{Every: time.Minute, For: 15 * time.Second, Service: "ec2"}

func (b Bursts) validate() error {
	switch {
	case b.Every == 0 && b.For == 0:
		return nil
	case b.Every <= 0 || b.For <= 0:
		return fmt.Errorf("every and for must both be positive durations (got every=%s for=%s)", b.Every, b.For)
	case b.For >= b.Every:
		return fmt.Errorf("for (%s) must be shorter than every (%s), or nothing would ever get through", b.For, b.Every)
	case b.Service == "":
		return fmt.Errorf("service must name the service to throttle (ec2, autoscaling, ...)")
	}
	if _, ok := services[b.Service]; !ok {
		return fmt.Errorf("service %q is not simulated (known: %v)", b.Service, serviceNames(services))
	}
	return nil
}

type burstState struct {
	mu sync.Mutex
	b  Bursts
}

// SetBursts installs a throttling pattern (the zero Bursts turns it off).
// A pattern that could never let a call through is an error.
func (s *Server) SetBursts(b Bursts) error {
	if err := b.validate(); err != nil {
		return err
	}
	s.bursts.mu.Lock()
	s.bursts.b = b
	s.bursts.mu.Unlock()
	return nil
}

// CurrentBursts returns the installed pattern.
func (s *Server) CurrentBursts() Bursts {
	s.bursts.mu.Lock()
	defer s.bursts.mu.Unlock()
	return s.bursts.b
}

// inBurst reports whether a call to service now falls inside a burst.
func (s *Server) inBurst(service string) bool {
	b := s.CurrentBursts()
	if b.Every <= 0 || b.Service != service {
		return false
	}
	phase := s.now().Sub(s.started) % b.Every
	return phase >= b.Every-b.For
}
