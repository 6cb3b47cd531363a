package bridge

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// PeersConfig configures the search for servers of the list that run
// this software.
type PeersConfig struct {
	Servers *Servers
	// Network is the node's libp2p network: a server on another is not
	// a peer.
	Network string
	// Found is told of each server that answers /p2p/info on the
	// network: its peer id and multiaddrs.
	Found  func(ctx context.Context, base, peerID string, addrs []string)
	Logger *slog.Logger
	// Every is how often the list is asked again (0: 10 minutes).
	Every time.Duration
}

// Peers asks every server of the list for its /p2p/info; the ones that
// answer on the node's network are joined over libp2p (and, with
// --allow-peers dao, are the peers allowed).
type Peers struct {
	cfg    PeersConfig
	log    *slog.Logger
	http   *http.Client
	cancel context.CancelFunc
	done   chan struct{}
}

// NewPeers builds the search; Start runs it.
func NewPeers(cfg PeersConfig) *Peers {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Every == 0 {
		cfg.Every = 10 * time.Minute
	}
	return &Peers{cfg: cfg, log: cfg.Logger.With("component", "dao-peers"), http: &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Start asks the list now, at each change and every cfg.Every.
func (p *Peers) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		for {
			changed := p.cfg.Servers.Changed()
			for _, s := range p.cfg.Servers.List() {
				if ctx.Err() != nil {
					return
				}
				if err := p.ask(ctx, s.BaseURL); err != nil {
					p.log.Debug("not a peer", "server", s.BaseURL, "err", err)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-changed:
			case <-time.After(p.cfg.Every):
			}
		}
	}()
	return nil
}

// Stop stops asking.
func (p *Peers) Stop(context.Context) error {
	if p.cancel != nil {
		p.cancel()
		<-p.done
	}
	return nil
}

// ask reads a server's /p2p/info (at most 64 KiB).
func (p *Peers) ask(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/p2p/info", nil)
	if err != nil {
		return err
	}
	res, err := p.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("/p2p/info: %s", res.Status)
	}
	var info struct {
		PeerID  string   `json:"peerId"`
		Network string   `json:"network"`
		Addrs   []string `json:"addrs"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&info); err != nil {
		return fmt.Errorf("/p2p/info: %w", err)
	}
	if info.PeerID == "" || info.Network != p.cfg.Network {
		return fmt.Errorf("/p2p/info: network %q, not %q", info.Network, p.cfg.Network)
	}
	if len(info.Addrs) > 32 {
		info.Addrs = info.Addrs[:32]
	}
	p.cfg.Found(ctx, base, info.PeerID, info.Addrs)
	return nil
}
