package sim

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteAWSConfig writes an AWS "config" and "credentials" file pair into
// dir with the profiles acme-prod and acme-staging, both in us-east-1 and
// both pointed at endpoint (e.g. "http://127.0.0.1:4566") through
// endpoint_url, which the AWS SDKs and CLI honour for every service. Point
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at the two files and any
// AWS tool talks to the sim:
//
//	AWS_CONFIG_FILE=dir/config AWS_SHARED_CREDENTIALS_FILE=dir/credentials \
//	    aws --profile acme-staging sts get-caller-identity
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
