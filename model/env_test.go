package model

import "testing"

func TestClassifyEnvironment(t *testing.T) {
	tests := []struct {
		names []string
		want  Environment
	}{
		{[]string{"acme-prod"}, EnvProduction},
		{[]string{"ACME-PROD"}, EnvProduction},
		{[]string{"acme-production"}, EnvProduction},
		{[]string{"acme-staging"}, EnvStaging},
		{[]string{"acme-stage"}, EnvStaging},
		{[]string{"acme-dev"}, EnvDevelopment},
		{[]string{"acme-development"}, EnvDevelopment},
		{[]string{"acme-sandbox"}, EnvUnknown},
		{[]string{""}, EnvUnknown},
		{nil, EnvUnknown},
		// Towards production when in doubt.
		{[]string{"acme-nonprod"}, EnvProduction},
		{[]string{"acme-dev", "prod-profile"}, EnvProduction},
		{[]string{"", "acme-staging"}, EnvStaging},
		{[]string{"staging-dev"}, EnvStaging},
	}
	for _, tc := range tests {
		if got := ClassifyEnvironment(tc.names...); got != tc.want {
			t.Errorf("ClassifyEnvironment(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

func TestEnvironmentLabelAndStrict(t *testing.T) {
	tests := []struct {
		env    Environment
		label  string
		strict bool
	}{
		{EnvProduction, "PRODUCTION", true},
		{EnvStaging, "STAGING", false},
		{EnvDevelopment, "DEVELOPMENT", false},
		{EnvSandbox, "SANDBOX", false},
		{EnvUnknown, "UNKNOWN ACCOUNT", true},
		{"", "UNKNOWN ACCOUNT", true},
		{"qa", "UNKNOWN ACCOUNT", true},
	}
	for _, tc := range tests {
		if got := tc.env.Label(); got != tc.label {
			t.Errorf("%q.Label() = %q, want %q", tc.env, got, tc.label)
		}
		if got := tc.env.Strict(); got != tc.strict {
			t.Errorf("%q.Strict() = %v, want %v", tc.env, got, tc.strict)
		}
	}
}

func TestParseEnvironment(t *testing.T) {
	tests := []struct {
		in   string
		want Environment
		ok   bool
	}{
		{"production", EnvProduction, true},
		{"staging", EnvStaging, true},
		{"development", EnvDevelopment, true},
		{"sandbox", EnvSandbox, true},
		// One spelling each: anything else is an error, never a guess.
		{"prod", EnvUnknown, false},
		{" production", EnvUnknown, false},
		{"Production", EnvUnknown, false},
		{"dev", EnvUnknown, false},
		{"developmnet", EnvUnknown, false},
		{"unknown", EnvUnknown, false},
		{"", EnvUnknown, false},
		{"qa", EnvUnknown, false},
	}
	for _, tc := range tests {
		got, ok := ParseEnvironment(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseEnvironment(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
