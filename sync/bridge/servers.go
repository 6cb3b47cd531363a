// Package bridge makes the node a member of today's network of HTTP
// catalysts: it keeps the DAO's list of servers, imports their history
// (snapshots, then pointer-changes) through the one deployment pipeline,
// and its content API serves them ours in their formats.
//
// The formats and the sync algorithm are the real catalyst's
// (decentraland/catalyst, decentraland/snapshots-fetcher); the code is
// this package's own, because those are Node.js services with Postgres.
package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// Server is a catalyst of the list.
type Server = chain.Catalyst

// ServersConfig configures the server list.
type ServersConfig struct {
	// Read reads the DAO's list (the chain service's Catalysts); nil
	// without a chain.
	Read func(ctx context.Context) ([]chain.Catalyst, error)
	// Manual, when set, is the list (--catalysts), as the real
	// catalyst's custom DAO setting: the chain is not read.
	Manual []string
	// Self is this node's public URL, left out of the list ("": none).
	Self   string
	Store  *store.Store
	Logger *slog.Logger
	// Every is how often the DAO list is read (0: 30 minutes).
	Every time.Duration
}

// Servers is the DAO's list of catalysts, read from the chain every 30
// minutes and kept in the store, so a restart without an RPC still
// knows it.
type Servers struct {
	cfg  ServersConfig
	ks   *store.Keyspace
	log  *slog.Logger
	mu   sync.Mutex
	list []Server
	// changed is closed and replaced when the list changes.
	changed chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
	// read is when the list was last read (ms).
	read int64
}

// LastRead is when the list was last read from the chain or given (ms;
// 0: never).
func (s *Servers) LastRead() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read
}

// NewServers builds the list; Start loads and refreshes it.
func NewServers(cfg ServersConfig) *Servers {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Every == 0 {
		cfg.Every = 30 * time.Minute
	}
	s := &Servers{cfg: cfg, log: cfg.Logger.With("component", "dao-list"), changed: make(chan struct{})}
	if cfg.Store != nil {
		s.ks = cfg.Store.Keyspace("bridge")
	}
	return s
}

// List is the servers now (never this node).
func (s *Servers) List() []Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.list)
}

// Changed is closed at the next change of the list.
func (s *Servers) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

func (s *Servers) set(list []Server) {
	var kept []Server
	for _, sv := range list {
		if sv.BaseURL != s.cfg.Self || s.cfg.Self == "" {
			kept = append(kept, sv)
		}
	}
	s.mu.Lock()
	same := slices.Equal(kept, s.list)
	s.list, s.read = kept, time.Now().UnixMilli()
	if !same {
		close(s.changed)
		s.changed = make(chan struct{})
	}
	s.mu.Unlock()
}

const daoKey = "dao"

// Start loads the list: the manual one, or the one kept in the store,
// then reads the chain's now and every cfg.Every.
func (s *Servers) Start(context.Context) error {
	if len(s.cfg.Manual) > 0 {
		var list []Server
		for _, u := range s.cfg.Manual {
			list = append(list, Server{BaseURL: u})
		}
		s.set(list)
		s.log.Info("catalyst list given by hand", "servers", len(list))
		return nil
	}
	if s.ks != nil {
		if v, err := s.ks.Get(context.Background(), daoKey); err == nil {
			var list []Server
			if json.Unmarshal(v, &list) == nil {
				s.set(list)
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if s.cfg.Read == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		for {
			s.refresh(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(s.cfg.Every):
			}
		}
	}()
	return nil
}

func (s *Servers) refresh(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	list, err := s.cfg.Read(rctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("the DAO list was not read; keeping the last one", "err", err, "servers", len(s.List()))
		}
		return
	}
	if len(list) == 0 && len(s.List()) > 0 {
		s.log.Warn("the DAO list reads empty; keeping the last one", "servers", len(s.List()))
		return
	}
	s.set(list)
	if s.ks != nil {
		b, _ := json.Marshal(list)
		if err := s.ks.Write(ctx, map[string][]byte{daoKey: b}); err != nil {
			s.log.Warn("the DAO list was not kept", "err", err)
		}
	}
	s.log.Info("DAO list read", "servers", len(list))
}

// Stop stops reading the chain.
func (s *Servers) Stop(context.Context) error {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	return nil
}
