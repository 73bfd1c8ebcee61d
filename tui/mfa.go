package tui

import (
	"errors"
	"regexp"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/airlock-ops/airlock/model"
)

// The MFA code of a profile switched to inside the dashboard is asked in
// a huh input, as the code before the dashboard starts is (cmd/airlock)
// and as the phrase is: the same editing, paste (a code copied from a
// password manager), and a validation error under the input rather than
// a silent refusal.

// mfaCode is what an MFA device shows: six digits (STS AssumeRole,
// TokenCode).
var mfaCode = regexp.MustCompile(`^[0-9]{6}$`)

// MFAEnteredMsg says the MFA form of generation Gen was submitted with a
// valid code.
type MFAEnteredMsg struct{ Gen uint64 }

// MFACancelledMsg says the MFA form of generation Gen was closed (esc).
type MFACancelledMsg struct{ Gen uint64 }

// askMFA opens the MFA form for profile it in the open picker.
func (m *Model) askMFA(it switchItem) tea.Cmd {
	s := m.sw.open
	s.mfaGen++
	s.mfaFor, s.code = &it, ""
	gen := s.mfaGen

	input := huh.NewInput().
		Key("mfa").
		Title("MFA code for profile " + model.Display(it.name)).
		Description(model.Display(it.mfa) + " · enter switches, esc goes back").
		Prompt("> ").
		CharLimit(6).
		Value(&s.code).
		Validate(func(code string) error {
			if !mfaCode.MatchString(code) {
				return errors.New("the code is the 6 digits the device shows")
			}
			return nil
		})
	s.mfaForm = huh.NewForm(huh.NewGroup(input)).
		WithKeyMap(enterOnlyKeys()).
		WithShowHelp(false).
		WithTheme(huhTheme(&m.st)).
		WithWidth(max(m.lay.w, 20))
	s.mfaForm.SubmitCmd = func() tea.Msg { return MFAEnteredMsg{Gen: gen} }
	s.mfaForm.CancelCmd = func() tea.Msg { return MFACancelledMsg{Gen: gen} }
	return s.mfaForm.Init()
}

// mfaOpen reports whether the MFA form is open.
func (m *Model) mfaOpen() bool {
	return m.sw.open != nil && m.sw.open.mfaForm != nil && m.sw.open.connecting == ""
}

// updateMFA hands a message other than a key (paste, the cursor's blink)
// to the MFA form.
func (m *Model) updateMFA(msg tea.Msg) tea.Cmd {
	_, cmd := m.sw.open.mfaForm.Update(msg)
	return cmd
}

// mfaAnswered takes in the MFA form's end: switch with the code, or go
// back to the picker.
func (m *Model) mfaAnswered(gen uint64, entered bool) tea.Cmd {
	s := m.sw.open
	if s == nil || s.mfaForm == nil || gen != s.mfaGen || s.connecting != "" {
		return nil // a form since closed or answered
	}
	it, code := *s.mfaFor, s.code
	s.mfaFor, s.mfaForm, s.code = nil, nil, ""
	if !entered || !mfaCode.MatchString(code) {
		return nil
	}
	return m.connect(it, code)
}
