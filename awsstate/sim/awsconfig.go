package sim

import (
	"fmt"
	"os"
	"path/filepath"
)

// Profiles WriteAWSConfig writes besides acme-prod and acme-staging: roles
// in acme-prod assumed with acme-prod's keys.
const (
	// ProdAdminProfile assumes role admin (no MFA).
	ProdAdminProfile = "acme-prod-admin"
	// ProdMFAProfile assumes role admin-mfa with mfa_serial set: the SDK
	// asks for a code (MFACode) before it can call AssumeRole.
	ProdMFAProfile = "acme-prod-mfa"
)

// servicesSection names the [services ...] section of the role profiles.
const servicesSection = "airlock-sim"

// WriteAWSConfig writes an AWS "config" and "credentials" file pair into
// dir with the profiles acme-prod and acme-staging (long-term keys), and
// acme-prod-admin and acme-prod-mfa (assume-role profiles with
// source_profile acme-prod, the second with mfa_serial), all in us-east-1
// and all pointed at endpoint (e.g. "http://127.0.0.1:4566") through
// endpoint_url, which the AWS SDKs and CLI honour for every service. Point
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at the two files and any
// AWS tool talks to the sim:
//
//	AWS_CONFIG_FILE=dir/config AWS_SHARED_CREDENTIALS_FILE=dir/credentials \
//	    aws --profile acme-staging sts get-caller-identity
//
// The role profiles name role_session_name oncall, so their identity reads
// arn:aws:sts::111111111111:assumed-role/admin/oncall. They also name a
// services section with STS's endpoint: aws-sdk-go-v2 builds the STS
// client of its assume-role provider before it applies a profile's global
// endpoint_url (config.LoadDefaultConfig resolves credentials before the
// base endpoint), so without it a Go program would send AssumeRole to the
// real STS. A service's own endpoint_url reaches that client.
//
// The files are created with mode 0600, as the CLI does, even though the
// keys in them are fake.
func WriteAWSConfig(dir, endpoint string) error {
	if endpoint == "" {
		return fmt.Errorf("sim: WriteAWSConfig needs an endpoint URL")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	profiles := []struct{ name, key string }{
		{ProdAlias, ProdAccessKey},
		{StagingAlias, StagingAccessKey},
	}
	var config, creds string
	for _, p := range profiles {
		config += fmt.Sprintf("[profile %s]\nregion = us-east-1\noutput = json\nendpoint_url = %s\n\n", p.name, endpoint)
		creds += fmt.Sprintf("[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", p.name, p.key, DemoSecretKey)
	}
	roles := []struct{ name, role, mfa string }{
		{ProdAdminProfile, AdminRole, ""},
		{ProdMFAProfile, AdminMFARole, MFASerial(ProdAccountID)},
	}
	for _, r := range roles {
		config += fmt.Sprintf("[profile %s]\nrole_arn = %s\nsource_profile = %s\n", r.name, RoleARN(ProdAccountID, r.role), ProdAlias)
		if r.mfa != "" {
			config += fmt.Sprintf("mfa_serial = %s\n", r.mfa)
		}
		config += fmt.Sprintf("role_session_name = oncall\nregion = us-east-1\noutput = json\nendpoint_url = %s\nservices = %s\n\n", endpoint, servicesSection)
	}
	config += fmt.Sprintf("[services %s]\nsts =\n  endpoint_url = %s\n", servicesSection, endpoint)
	if err := writePrivate(filepath.Join(dir, "config"), config); err != nil {
		return err
	}
	return writePrivate(filepath.Join(dir, "credentials"), creds)
}

// writePrivate writes a 0600 file, tightening the mode of one that already
// existed (os.WriteFile keeps an existing file's mode).
func writePrivate(path, content string) error {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}
