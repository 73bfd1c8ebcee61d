package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/term"

	"github.com/airlock-ops/airlock/awsstate"
	"github.com/airlock-ops/airlock/model"
)

// errNoTerminalForMFA is the prompt's answer when nobody can type a code.
var errNoTerminalForMFA = errors.New("standard input is not a terminal, so airlock cannot ask for it: run airlock in a terminal, or choose a profile without mfa_serial")

// mfaCode is what an MFA device shows: six digits (STS AssumeRole,
// TokenCode).
var mfaCode = regexp.MustCompile(`^[0-9]{6}$`)

// terminalMFA asks for an MFA code with a huh input on the terminal, before
// the dashboard takes it over (the dashboard asks in its own input when it
// switches profile). in must be a terminal; out is where the form draws.
func terminalMFA(in *os.File, out io.Writer) awsstate.MFAFunc {
	return func(ctx context.Context, profile, serial string) (string, error) {
		if !term.IsTerminal(in.Fd()) {
			return "", errNoTerminalForMFA
		}
		var code string
		field := huh.NewInput().
			Title("MFA code for profile " + model.Sanitize(profile)).
			Description(model.Sanitize(serial)).
			CharLimit(6).
			Value(&code).
			Validate(func(s string) error {
				if !mfaCode.MatchString(s) {
					return fmt.Errorf("the code is the 6 digits the device shows")
				}
				return nil
			})
		err := huh.NewForm(huh.NewGroup(field)).WithInput(in).WithOutput(out).WithShowHelp(false).RunWithContext(ctx)
		switch {
		case errors.Is(err, huh.ErrUserAborted):
			return "", fmt.Errorf("no code entered: %w", context.Canceled)
		case err != nil:
			return "", err
		}
		return code, nil
	}
}
