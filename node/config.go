package node

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
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
