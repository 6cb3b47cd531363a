package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=…";
// otherwise read from what the Go toolchain stamped, and under `go run`
// (which stamps nothing) from the source checkout this binary was
// compiled from.
var (
	version = ""
	commit  = ""
)

// build is this binary's version and commit.
var build = func() struct{ version, commit string } {
	v, c := version, commit
	dirty := false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if c == "" {
		c, dirty = sourceCommit()
	}
	if v == "" {
		v = "dev"
		if c != "" {
			v = "dev-" + c[:min(12, len(c))]
			if dirty {
				v += "-dirty"
			}
		}
	}
	return struct{ version, commit string }{v, c}
}()

// sourceCommit asks git for the commit of the checkout this file was
// compiled from, when it is still there (go run); "" otherwise.
func sourceCommit() (commit string, dirty bool) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	dir := filepath.Dir(file)
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return "", false
	}
	status, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	return strings.TrimSpace(string(out)), err == nil && len(strings.TrimSpace(string(status))) > 0
}
