// Command catalyst runs a Decentraland Catalyst node.
//
//	catalyst [run] [--data DIR] [--http ADDR] [--eth-rpc URL] …
//	catalyst version
//
// Every flag may also come from an environment variable (CATALYST_DATA,
// CATALYST_HTTP, …); flags win. An unknown CATALYST_* variable is an error,
// so a typo never silently falls back to a default.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/p2pcatalyst/catalyst/node"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "dev"
	commit  = ""
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "catalyst:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runNode(args, stderr)
	case "version":
		fmt.Fprintf(stdout, "catalyst %s %s\n", version, commitHash())
		return nil
	case "help":
		fmt.Fprintln(stdout, "usage: catalyst [run|version] [flags]; catalyst run -h lists the flags")
		return nil
	default:
		return fmt.Errorf("unknown command %q (run, version)", cmd)
	}
}

// option is a flag with its environment variable.
type option struct {
	flag, env, usage string
	target           *string
}

func runNode(args []string, stderr io.Writer) error {
	cfg := node.DefaultConfig()
	cfg.Version, cfg.CommitHash = version, commitHash()
	logLevel, logFormat, rateLimits := "info", "text", ""
	listen, bootstrap, allowPeers := strings.Join(cfg.Listen, ","), "", ""
	rtcPort, rtcIPs := strconv.Itoa(cfg.RTCUDPPort), ""
	memoryLimit := "1GiB"
	opts := []option{
		{"data", "CATALYST_DATA", "data directory (store, keys)", &cfg.DataDir},
		{"http", "CATALYST_HTTP", "HTTP listen address", &cfg.HTTPAddr},
		{"eth-rpc", "CATALYST_ETH_RPC", "Ethereum JSON-RPC URL (EIP-1654 signatures; none: rejected)", &cfg.EthRPC},
		{"eth-network", "CATALYST_ETH_NETWORK", "mainnet or sepolia", &cfg.EthNetwork},
		{"public-url", "CATALYST_PUBLIC_URL", "public base URL (default: derived from each request)", &cfg.PublicURL},
		{"realm-name", "CATALYST_REALM_NAME", "realm name announced in /about", &cfg.RealmName},
		{"listen", "CATALYST_LISTEN", "libp2p multiaddrs to listen on, comma-separated (TCP and QUIC)", &listen},
		{"bootstrap", "CATALYST_BOOTSTRAP", "full multiaddrs (…/p2p/<id>) of peers to join through, comma-separated", &bootstrap},
		{"network", "CATALYST_NETWORK", "network name: namespaces every topic and protocol", &cfg.Network},
		{"allow-peers", "CATALYST_ALLOW_PEERS", "file of peer ids (one per line): talk to these peers only", &allowPeers},
		{"rate-limit", "CATALYST_RATE_LIMIT", "per-pointer deployment intervals, e.g. scene=20s,profile=3s (defaults as the content server)", &rateLimits},
		{"rtc-udp-port", "CATALYST_RTC_UDP_PORT", "UDP port of the WebRTC transport (ICE for every peer connection)", &rtcPort},
		{"rtc-public-ip", "CATALYST_RTC_PUBLIC_IP", "public IPs to advertise to WebRTC peers when behind 1:1 NAT, comma-separated", &rtcIPs},
		{"bans", "CATALYST_BANS", "JSON file of addresses banned from comms (default: DATA/comms/bans.json; re-read on change)", &cfg.BansFile},
		{"memory-limit", "CATALYST_MEMORY_LIMIT", "soft memory limit of the Go runtime (GC works harder near it), e.g. 1GiB, 512MiB; 0: none; GOMEMLIMIT wins", &memoryLimit},
		{"log-level", "CATALYST_LOG_LEVEL", "debug, info, warn or error", &logLevel},
		{"log-format", "CATALYST_LOG_FORMAT", "text or json", &logFormat},
	}
	fs := flag.NewFlagSet("catalyst run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	known := map[string]bool{}
	for _, o := range opts {
		known[o.env] = true
		if v, ok := os.LookupEnv(o.env); ok {
			*o.target = v
		}
		fs.StringVar(o.target, o.flag, *o.target, o.usage+" ($"+o.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	err := unknownEnv(known)
	if err != nil {
		return err
	}
	if cfg.RateLimits, err = node.ParseRateLimits(rateLimits); err != nil {
		return err
	}
	cfg.Listen, cfg.Bootstrap, cfg.RTCPublicIPs = splitList(listen), splitList(bootstrap), splitList(rtcIPs)
	if cfg.RTCUDPPort, err = strconv.Atoi(rtcPort); err != nil {
		return fmt.Errorf("rtc-udp-port %q is not a port number", rtcPort)
	}
	if allowPeers != "" {
		if cfg.AllowPeers, err = node.ReadAllowPeers(allowPeers); err != nil {
			return err
		}
	}
	limit, err := parseBytes(memoryLimit)
	if err != nil {
		return fmt.Errorf("memory-limit: %w", err)
	}
	log, err := newLogger(stderr, logLevel, logFormat)
	if err != nil {
		return err
	}
	cfg.Logger = log
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && limit > 0 {
		debug.SetMemoryLimit(limit)
	}

	n, err := node.New(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := n.Start(ctx); err != nil {
		n.Close(context.Background())
		return err
	}
	<-ctx.Done()
	log.Info("shutting down")
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return n.Close(closeCtx)
}

// parseBytes reads a size: a number of bytes with an optional KiB, MiB
// or GiB suffix.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			s, mult = strings.TrimSpace(n), m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size (bytes, or a number with KiB, MiB or GiB)", s)
	}
	return n * mult, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func unknownEnv(known map[string]bool) error {
	var bad []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "CATALYST_") && !known[k] {
			bad = append(bad, k)
		}
	}
	if bad == nil {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("unknown environment variables %s", strings.Join(bad, ", "))
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	o := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("log format %q: must be text or json", format)
}

func commitHash() string {
	if commit != "" {
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}
