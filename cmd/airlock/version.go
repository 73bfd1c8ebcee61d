package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// runVersion prints which build this is. During an incident review the
// first question about a console's behaviour is which airlock ran, so the
// answer comes from what the Go toolchain embedded at build time, not
// from a string someone has to remember to bump.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "airlock version (or airlock --version)", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	fmt.Fprintln(stdout, versionLine(bi))
	return nil
}

// versionLine describes a build in one line:
//
//	airlock v1.4.0 (go1.26.8)
//	airlock (devel) rev 0123456789ab, modified, committed 2026-11-22T14:03:41Z (go1.26.8)
//
// The revision, its commit time and the dirty flag come from the VCS
// stamp `go build` adds in a checkout; a binary built with -buildvcs=false
// or from a module download has none, and the line says so rather than
// printing an empty revision. The build time itself is not recorded by
// the toolchain (builds are reproducible), so the commit time stands in.
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "airlock (version unknown: built without module information)"
	}
	var b strings.Builder
	b.WriteString("airlock ")
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	b.WriteString(v)
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	switch {
	case rev != "":
		if len(rev) > 12 {
			rev = rev[:12]
		}
		b.WriteString(" rev " + rev)
		if modified == "true" {
			b.WriteString(", modified")
		}
		if at != "" {
			b.WriteString(", committed " + at)
		}
	case v == "(devel)":
		b.WriteString(" (no VCS revision recorded)")
	}
	if bi.GoVersion != "" {
		b.WriteString(" (" + bi.GoVersion + ")")
	}
	return b.String()
}
