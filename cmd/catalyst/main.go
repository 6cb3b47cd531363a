// Command catalyst runs a Decentraland Catalyst node, and talks to one.
//
//	catalyst [run] [--data DIR] [--http ADDR] …   run a node (the default)
//	catalyst status [--node URL] [--json]         a running node's state
//	catalyst keys new|show [--data DIR]           the operator's Ethereum key
//	catalyst deploy [--node URL] [--data DIR] PATH  deploy a scene folder or a profile
//	catalyst version
//
// Every flag of run may also come from an environment variable
// (CATALYST_DATA, CATALYST_HTTP, …); flags win. An unknown CATALYST_*
// variable is an error, so a typo never silently falls back to a default.
//
// Exit codes: 0 done (and --help), 1 a failure while running, 2 a usage
// error (an unknown command or flag, a bad flag value).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
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

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// usageError is a command line that cannot run: exit code 2.
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitCode reports err and maps it to the exit code.
func exitCode(err error, stderr io.Writer) int {
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "catalyst:", err)
		return 2
	}
	fmt.Fprintln(stderr, "catalyst:", err)
	if errors.Is(err, node.ErrPortTaken) {
		fmt.Fprintln(stderr, "catalyst: another program (or another catalyst) holds that port: stop it, choose other ports (--http, --listen, --rtc-udp-port), or pass --free-ports to take free ones (kept in DATA/ports.json)")
	}
	return 1
}

const usage = `catalyst — a peer-to-peer Decentraland Catalyst node

Usage:
  catalyst [run] [flags]                        run a node (catalyst run --help lists the flags)
  catalyst status [--node URL] [--json]         a running node's sync state, peers, entities, comms, disk
  catalyst keys new|show [--data DIR]           create or show the operator's Ethereum key
  catalyst deploy [--node URL] [--data DIR] PATH
                                                deploy a scene folder (scene.json and its files)
                                                or a profile JSON, signed with the operator's key
  catalyst version                              the version and commit of this build
  catalyst help [command]

Every command takes --help.
`

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runNode(args, stdout, stderr)
	case "status":
		return status(args, stdout, stderr)
	case "keys":
		return keys(args, stdout, stderr)
	case "deploy":
		return deploy(args, stdout, stderr)
	case "version":
		fs := newFlags("version", "", "the version and commit of this build", stdout, stderr, args)
		if err := parse(fs, args, 0); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "catalyst %s %s\n", build.version, build.commit)
		return nil
	case "help", "-h", "-help", "--help":
		if len(args) > 0 {
			return run(append(args[:1:1], "--help"), stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown command %q", cmd)
}

// newFlags is a command's flag set. Asked for help, its usage goes to
// stdout (and the exit code is 0); after a mistake, to stderr.
func newFlags(name, synopsis, what string, stdout, stderr io.Writer, args []string) *flag.FlagSet {
	fs := flag.NewFlagSet("catalyst "+name, flag.ContinueOnError)
	out := stderr
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			out = stdout
		}
	}
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: catalyst %s %s\n\n%s\n", name, synopsis, what)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(out, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args, wanting at most maxArgs arguments after the flags;
// every mistake is a usage error.
func parse(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > maxArgs {
		fs.Usage()
		return usagef("unexpected arguments: %s", strings.Join(fs.Args()[maxArgs:], " "))
	}
	return nil
}

// option is a flag with its environment variable.
type option struct {
	flag, env, usage string
	target           *string
}

// booleans are the options given alone (--free-ports means true).
var booleans = map[string]bool{"free-ports": true}

// boolText is a boolean flag kept as text (like every option, so an
// environment variable can set it), read by strconv.ParseBool later.
type boolText struct{ p *string }

func (b boolText) String() string {
	if b.p == nil {
		return ""
	}
	return *b.p
}
func (b boolText) Set(v string) error { *b.p = v; return nil }
func (b boolText) IsBoolFlag() bool   { return true }

func runNode(args []string, stdout, stderr io.Writer) error {
	started := time.Now()
	cfg := node.DefaultConfig()
	cfg.Version, cfg.CommitHash = build.version, build.commit
	logLevel, logFormat, rateLimits := "info", "text", ""
	listen, bootstrap, allowPeers, catalysts := strings.Join(cfg.Listen, ","), "", "", ""
	rtcPort, rtcIPs, rtcBind, proxies := strconv.Itoa(cfg.RTCUDPPort), "", "", ""
	memoryLimit, freePorts := "1GiB", "false"
	opts := []option{
		{"data", "CATALYST_DATA", "data directory (store, keys)", &cfg.DataDir},
		{"http", "CATALYST_HTTP", "HTTP listen address (host:port; an empty host is every interface, 127.0.0.1 this machine only)", &cfg.HTTPAddr},
		{"eth-rpc", "CATALYST_ETH_RPC", "Ethereum JSON-RPC URL: ownership of parcels, NAMEs and items is checked on chain and indexed (none: dev mode, nothing is checked)", &cfg.EthRPC},
		{"polygon-rpc", "CATALYST_POLYGON_RPC", "Polygon JSON-RPC URL: collections v2 and third-party items (none: not checked)", &cfg.PolygonRPC},
		{"eth-network", "CATALYST_ETH_NETWORK", "mainnet or sepolia", &cfg.EthNetwork},
		{"catalysts", "CATALYST_CATALYSTS", "HTTP catalysts to federate with, comma-separated base URLs (default: the DAO's list, read from the chain)", &catalysts},
		{"contracts", "CATALYST_CONTRACTS", "JSON file replacing the network's contract addresses and chain ids (test chains; fields left out keep the network's)", &cfg.ContractsFile},
		{"public-url", "CATALYST_PUBLIC_URL", "public base URL (default: derived from each request)", &cfg.PublicURL},
		{"realm-name", "CATALYST_REALM_NAME", "realm name announced in /about", &cfg.RealmName},
		{"badges-assets-url", "CATALYST_BADGES_ASSETS_URL", "base URL of the badges' images (<url>/<badge>/[<tier>/]2d/normal.png; default: /badges/assets on this node)", &cfg.BadgesAssetsURL},
		{"admin-token", "CATALYST_ADMIN_TOKEN", "bearer token of the services' admin routes (default: DATA/admin.token, made at the first start)", &cfg.AdminToken},
		{"profile-images-url", "CATALYST_PROFILE_IMAGES_URL", "base URL of the profile snapshot renderer (lambdas' face256 and body URLs)", &cfg.ProfileImagesURL},
		{"listen", "CATALYST_LISTEN", "libp2p multiaddrs to listen on, comma-separated (TCP and QUIC)", &listen},
		{"bootstrap", "CATALYST_BOOTSTRAP", "full multiaddrs (…/p2p/<id>) of peers to join through, comma-separated", &bootstrap},
		{"network", "CATALYST_NETWORK", "network name: namespaces every topic and protocol", &cfg.Network},
		{"allow-peers", "CATALYST_ALLOW_PEERS", "file of peer ids (one per line), or \"dao\" for the catalyst list's nodes that run this software: talk to these peers only", &allowPeers},
		{"rate-limit", "CATALYST_RATE_LIMIT", "per-pointer deployment intervals, e.g. scene=20s,profile=3s (defaults as the content server)", &rateLimits},
		{"rtc-udp-port", "CATALYST_RTC_UDP_PORT", "UDP port of the WebRTC transport (ICE for every peer connection; 0: chosen once, then kept)", &rtcPort},
		{"rtc-ip", "CATALYST_RTC_IP", "local IPv4 addresses the WebRTC transport binds and offers, comma-separated (default: every interface's)", &rtcBind},
		{"free-ports", "CATALYST_FREE_PORTS", "when a configured port is taken, listen on a free one (kept in DATA/ports.json) instead of failing", &freePorts},
		{"rtc-public-ip", "CATALYST_RTC_PUBLIC_IP", "public IPs to advertise to WebRTC peers when behind 1:1 NAT, comma-separated", &rtcIPs},
		{"trusted-proxy", "CATALYST_TRUSTED_PROXY", "addresses or CIDRs of reverse proxies in front of the node, comma-separated: from them, the client is the X-Forwarded-For hop before them (per-client limits)", &proxies},
		{"bans", "CATALYST_BANS", "JSON file of addresses banned from comms (default: DATA/comms/bans.json; re-read on change)", &cfg.BansFile},
		{"memory-limit", "CATALYST_MEMORY_LIMIT", "soft memory limit of the Go runtime (GC works harder near it), e.g. 1GiB, 512MiB; 0: none; GOMEMLIMIT wins", &memoryLimit},
		{"log-level", "CATALYST_LOG_LEVEL", "debug, info, warn or error", &logLevel},
		{"log-format", "CATALYST_LOG_FORMAT", "text or json", &logFormat},
	}
	fs := newFlags("run", "[flags]", "Runs a node until SIGINT or SIGTERM. Every flag may also come from its environment variable.", stdout, stderr, args)
	known := map[string]bool{"CATALYST_NODE": true} // status and deploy read it
	for _, o := range opts {
		known[o.env] = true
		if v, ok := os.LookupEnv(o.env); ok {
			*o.target = v
		}
		if booleans[o.flag] {
			fs.Var(boolText{o.target}, o.flag, o.usage+" ($"+o.env+")")
			continue
		}
		fs.StringVar(o.target, o.flag, *o.target, o.usage+" ($"+o.env+")")
	}
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	cfg, limit, log, err := readRunFlags(cfg, stderr, runFlags{
		known: known, rateLimits: rateLimits, listen: listen, bootstrap: bootstrap, catalysts: catalysts, rtcIPs: rtcIPs, rtcBind: rtcBind,
		rtcPort: rtcPort, allowPeers: allowPeers, memoryLimit: memoryLimit, freePorts: freePorts, proxies: proxies,
		logLevel: logLevel, logFormat: logFormat,
	})
	if err != nil {
		return err
	}
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
		return err // Start stopped what it had started
	}
	<-ctx.Done()
	stop() // a second signal ends the process at once
	log.Info("stopping: signal received; letting requests in flight finish (30 s at most)")
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = n.Close(closeCtx)
	log.Info("catalyst stopped", "uptime", time.Since(started).Round(time.Second), "clean", err == nil)
	return err
}

// runFlags are run's flag values still to be read.
type runFlags struct {
	known                                                   map[string]bool
	rateLimits, listen, bootstrap, rtcIPs, rtcBind, rtcPort string
	allowPeers, memoryLimit, freePorts, logLevel, logFormat string
	catalysts, proxies                                      string
}

// readRunFlags turns run's flag values into the node's configuration;
// every mistake is a usage error, found before anything is opened.
func readRunFlags(cfg node.Config, stderr io.Writer, f runFlags) (node.Config, int64, *slog.Logger, error) {
	fail := func(err error) (node.Config, int64, *slog.Logger, error) { return cfg, 0, nil, usageError{err} }
	if err := unknownEnv(f.known); err != nil {
		return fail(err)
	}
	var err error
	if cfg.RateLimits, err = node.ParseRateLimits(f.rateLimits); err != nil {
		return fail(err)
	}
	cfg.Listen, cfg.Bootstrap, cfg.RTCPublicIPs, cfg.RTCIPs = splitList(f.listen), splitList(f.bootstrap), splitList(f.rtcIPs), splitList(f.rtcBind)
	for _, p := range splitList(f.proxies) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fail(fmt.Errorf("trusted-proxy %q is not an address or a CIDR", p))
			}
			prefix = netip.PrefixFrom(a, a.BitLen())
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	for _, u := range splitList(f.catalysts) {
		cfg.Catalysts = append(cfg.Catalysts, strings.TrimRight(u, "/"))
	}
	if cfg.RTCUDPPort, err = strconv.Atoi(f.rtcPort); err != nil {
		return fail(fmt.Errorf("rtc-udp-port %q is not a port number", f.rtcPort))
	}
	if cfg.FreePorts, err = strconv.ParseBool(f.freePorts); err != nil {
		return fail(fmt.Errorf("free-ports %q: want true or false", f.freePorts))
	}
	if f.allowPeers == "dao" {
		cfg.AllowDAO = true
	} else if f.allowPeers != "" {
		if cfg.AllowPeers, err = node.ReadAllowPeers(f.allowPeers); err != nil {
			return fail(err)
		}
	}
	limit, err := parseBytes(f.memoryLimit)
	if err != nil {
		return fail(fmt.Errorf("memory-limit: %w", err))
	}
	log, err := newLogger(stderr, f.logLevel, f.logFormat)
	if err != nil {
		return fail(err)
	}
	cfg.Logger = log
	if err := cfg.Validate(); err != nil {
		return fail(err)
	}
	return cfg, limit, log, nil
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
