package node

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Config is everything a node needs to start. Flags and environment
// variables are read in cmd/catalyst; this package receives a typed config.
type Config struct {
	// DataDir holds the store (Badger and blob files).
	DataDir string
	// HTTPAddr is where the HTTP API listens (host:port; port 0 picks one).
	HTTPAddr string
	// EthRPC is an Ethereum JSON-RPC URL; "" means none: dev mode, where
	// ownership is not checked and EIP-1654 signatures are rejected with
	// a clear error.
	EthRPC string
	// Catalysts, when set, is the list of HTTP catalysts to federate with
	// (instead of the DAO's, read from the chain): base URLs.
	Catalysts []string
	// PolygonRPC is a Polygon JSON-RPC URL (collections v2, third-party
	// items); "" means those are not checked.
	PolygonRPC string
	// ContractsFile replaces the network's contract addresses (JSON of
	// chain.Contracts; fields left out keep the network's).
	ContractsFile string
	// EthNetwork is "mainnet" or "sepolia".
	EthNetwork string
	// PublicURL is the node's public base URL; "" derives it per request.
	PublicURL string
	// RealmName is announced in /about.
	RealmName string
	// ProfileImagesURL renders profile snapshots ("": Decentraland's
	// profile-images service).
	ProfileImagesURL string
	// BadgesAssetsURL is where badge images are ("": /badges/assets on
	// this node's host).
	BadgesAssetsURL string
	// AdminToken guards the services' admin routes ("": the one in
	// DATA/admin.token, made at the first start).
	AdminToken string
	// Version and CommitHash are reported by /status and /about.
	Version, CommitHash string
	// Listen are the libp2p multiaddrs to listen on (TCP and QUIC).
	Listen []string
	// Bootstrap are full multiaddrs of peers to join the network through.
	Bootstrap []string
	// Network namespaces topics and protocols: nodes of different
	// networks never exchange anything.
	Network string
	// AllowPeers, when not nil, is the only set of peer ids this node
	// talks to (an allowlisted federation).
	AllowPeers []string
	// AllowDAO makes the allowlist the peers of the catalyst list's
	// servers that run this software (--allow-peers dao), found by their
	// /p2p/info.
	AllowDAO bool
	// ReconcileEvery is the period of anti-entropy rounds (0: 30 s).
	ReconcileEvery time.Duration
	// RealmsEvery is the period of the realm record (0: 5 s).
	RealmsEvery time.Duration
	// BridgeEvery is the poll period of the HTTP catalysts'
	// pointer-changes (0: 5 s).
	BridgeEvery time.Duration
	// ChainPollEvery is how often a caught-up chain indexer looks for
	// new blocks (0: 12 s on Ethereum, 4 s on Polygon).
	ChainPollEvery time.Duration
	// RateLimits overrides the minimum interval between local deployments
	// to one pointer, per entity type (unset types keep the default).
	RateLimits map[entity.Type]time.Duration
	// RTCUDPPort is the UDP port of the SFU's ICE (0: a free one).
	RTCUDPPort int
	// RTCPublicIPs are addresses to advertise for the SFU behind 1:1 NAT.
	RTCPublicIPs []string
	// TrustedProxies are the reverse proxies in front of the node: a
	// request from one is the client's X-Forwarded-For names (the
	// services' per-client limits count clients, not the proxy).
	TrustedProxies []netip.Prefix
	// RTCIPs are the local addresses the SFU binds and offers to peers
	// (empty: every interface's).
	RTCIPs []string
	// FreePorts: when a configured port (HTTP, libp2p, WebRTC) is taken,
	// listen on the port remembered from an earlier start or a free one
	// instead of failing. Ports chosen are kept in DATA/ports.json.
	FreePorts bool
	// BansFile is the JSON list of addresses banned from comms
	// ("": DataDir/comms/bans.json).
	BansFile string
	// Logger is the root logger; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig is a node with its data under ./data, listening on :6969.
func DefaultConfig() Config {
	return Config{
		DataDir:    filepath.Join(".", "data"),
		HTTPAddr:   ":6969",
		EthNetwork: "mainnet",
		RealmName:  "catalyst",
		Listen:     []string{"/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"},
		Network:    "mainnet",
		Version:    "dev",
		RTCUDPPort: 7882,
	}
}

// Validate reports the first configuration error.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("config: a data directory is required")
	}
	if err := checkHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("config: http address %q: %w", c.HTTPAddr, err)
	}
	if c.Network == "" || strings.ContainsAny(c.Network, "/ \t") {
		return fmt.Errorf("config: network name %q: must be non-empty, without slashes or spaces", c.Network)
	}
	for _, a := range c.Listen {
		if err := p2p.CheckListen(a); err != nil {
			return fmt.Errorf("config: listen %w", err)
		}
	}
	for _, a := range c.Bootstrap {
		if _, err := peer.AddrInfoFromString(a); err != nil {
			return fmt.Errorf("config: bootstrap %q: %w (want a multiaddr ending in /p2p/<peer id>, as /p2p/info lists them)", a, err)
		}
	}
	for _, p := range c.AllowPeers {
		if _, err := peer.Decode(p); err != nil {
			return fmt.Errorf("config: allowed peer %q: %w", p, err)
		}
	}
	if c.RTCUDPPort < 0 || c.RTCUDPPort > 65535 {
		return fmt.Errorf("config: rtc udp port %d", c.RTCUDPPort)
	}
	for _, ip := range c.RTCPublicIPs {
		if net.ParseIP(ip) == nil {
			return fmt.Errorf("config: rtc public ip %q is not an IP address", ip)
		}
	}
	for _, ip := range c.RTCIPs {
		if p := net.ParseIP(ip); p == nil || p.To4() == nil {
			return fmt.Errorf("config: rtc ip %q is not an IPv4 address", ip)
		}
	}
	switch c.EthNetwork {
	case "mainnet", "sepolia":
	default:
		return fmt.Errorf("config: eth network %q: must be mainnet or sepolia", c.EthNetwork)
	}
	if c.PolygonRPC != "" && c.EthRPC == "" {
		return fmt.Errorf("config: a polygon rpc needs an eth rpc too")
	}
	if c.ContractsFile != "" && c.EthRPC == "" {
		return fmt.Errorf("config: a contracts file needs an eth rpc")
	}
	for _, u := range c.Catalysts {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || (p.Path != "" && p.Path != "/") || p.RawQuery != "" {
			return fmt.Errorf("config: catalyst %q is not a base URL (http(s)://host[:port])", u)
		}
	}
	for name, u := range map[string]string{"eth rpc": c.EthRPC, "polygon rpc": c.PolygonRPC, "public url": c.PublicURL} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "" || p.Host == "" {
			return fmt.Errorf("config: %s %q is not an absolute URL", name, u)
		}
	}
	return nil
}

// OperatorKeyFile is where the operator's Ethereum key lives in a data
// dir (catalyst keys new): it signs what the operator deploys and, later,
// the node's own signed requests.
func OperatorKeyFile(dataDir string) string { return filepath.Join(dataDir, "keys", "operator.key") }

// AdminTokenFile is where a data dir keeps the admin token.
func AdminTokenFile(dataDir string) string { return filepath.Join(dataDir, "admin.token") }

// adminToken is the configured token, else the data dir's (made once).
func adminToken(cfg Config) (string, error) {
	if cfg.AdminToken != "" {
		return cfg.AdminToken, nil
	}
	path := AdminTokenFile(cfg.DataDir)
	if raw, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(raw)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("admin token: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	return token, nil
}

// checkHostPort accepts host:port with a port number (0 for any) and a
// host that is empty (every interface), an IP or a name.
func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("host %q", host)
	}
	return nil
}

// ParseRateLimits reads "type=duration,…" (e.g. "scene=5s,profile=0s").
func ParseRateLimits(s string) (map[entity.Type]time.Duration, error) {
	out := map[entity.Type]time.Duration{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, dur, ok := strings.Cut(part, "=")
		t, known := entity.ParseType(strings.TrimSpace(name))
		if !ok || !known {
			return nil, fmt.Errorf("rate limit %q: want type=duration with a type of %v", part, entity.Types)
		}
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("rate limit %q: bad duration", part)
		}
		out[t] = d
	}
	return out, nil
}

// ReadAllowPeers reads a file of peer ids, one per line; blank lines and
// lines starting with # are skipped.
func ReadAllowPeers(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("allow-peers: %w", err)
	}
	ids := []string{}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := peer.Decode(line); err != nil {
			return nil, fmt.Errorf("allow-peers: %q is not a peer id: %w", line, err)
		}
		ids = append(ids, line)
	}
	return ids, nil
}
