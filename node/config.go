package node

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Config is everything a node needs to start. Flags and environment
// variables are read in cmd/catalyst; this package receives a typed config.
type Config struct {
	// DataDir holds the store (Badger and blob files).
	DataDir string
	// HTTPAddr is where the HTTP API listens (host:port; port 0 picks one).
	HTTPAddr string
	// EthRPC is an Ethereum JSON-RPC URL; "" means none (EIP-1654 signatures
	// are then rejected with a clear error).
	EthRPC string
	// EthNetwork is "mainnet" or "sepolia".
	EthNetwork string
	// PublicURL is the node's public base URL; "" derives it per request.
	PublicURL string
	// RealmName is announced in /about.
	RealmName string
	// Version and CommitHash are reported by /status and /about.
	Version, CommitHash string
	// RateLimits overrides the minimum interval between local deployments
	// to one pointer, per entity type (unset types keep the default).
	RateLimits map[entity.Type]time.Duration
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
		Version:    "dev",
	}
}

// Validate reports the first configuration error.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("config: a data directory is required")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("config: http address %q: %w", c.HTTPAddr, err)
	}
	switch c.EthNetwork {
	case "mainnet", "sepolia":
	default:
		return fmt.Errorf("config: eth network %q: must be mainnet or sepolia", c.EthNetwork)
	}
	for name, u := range map[string]string{"eth rpc": c.EthRPC, "public url": c.PublicURL} {
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
