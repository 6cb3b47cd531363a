package archipelago

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// StatsRoutes registers the comms stats (/comms/peers, /comms/islands,
// /comms/parcels, /comms/hot-scenes). scenes names hot scenes from the
// node's own scene entities (nil: no hot scenes).
func (s *Service) StatsRoutes(mux *http.ServeMux, scenes *store.Store) {
	mux.HandleFunc("GET /comms/peers", s.peers)
	mux.HandleFunc("GET /comms/peers/{id}", s.peer)
	mux.HandleFunc("GET /comms/islands", s.islands)
	mux.HandleFunc("GET /comms/islands/{id}", s.island)
	mux.HandleFunc("GET /comms/parcels", s.parcelsHandler)
	mux.HandleFunc("GET /comms/hot-scenes", func(w http.ResponseWriter, r *http.Request) { s.hotScenes(w, r, scenes) })
}

// PeerStats is an explorer connected to the archipelago.
type PeerStats struct {
	ID       string     `json:"id"`
	Address  string     `json:"address"`
	LastPing int64      `json:"lastPing"`
	Parcel   [2]int     `json:"parcel"`
	Position [3]float64 `json:"position"`
	Island   string     `json:"islandId,omitempty"`
}

// IslandStats is an island and its peers.
type IslandStats struct {
	ID       string     `json:"id"`
	Peers    []string   `json:"peers"`
	MaxPeers int        `json:"maxPeers"`
	Center   [3]float64 `json:"center"`
	Radius   float64    `json:"radius"`
}

// Peers are the explorers on islands.
func (s *Service) Peers() []PeerStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PeerStats
	for _, p := range s.engine.Peers() {
		out = append(out, PeerStats{ID: p.ID, Address: p.ID, LastPing: p.Last.UnixMilli(), Parcel: s.parcels[p.ID],
			Position: [3]float64{p.Position.X, p.Position.Y, p.Position.Z}, Island: p.Island})
	}
	return out
}

func (s *Service) peers(w http.ResponseWriter, r *http.Request) {
	list := s.Peers()
	if list == nil {
		list = []PeerStats{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "peers": list})
}

func (s *Service) peer(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	for _, p := range s.Peers() {
		if p.ID == id {
			httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "peer": p})
			return
		}
	}
	httpx.Error(w, http.StatusNotFound, "Peer not found: "+id)
}

// Islands are the islands now.
func (s *Service) Islands() []IslandStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []IslandStats{}
	for _, is := range s.engine.Islands() {
		out = append(out, IslandStats{ID: is.ID, Peers: is.Peers, MaxPeers: is.MaxPeers,
			Center: [3]float64{is.Center.X, is.Center.Y, is.Center.Z}, Radius: is.Radius})
	}
	return out
}

func (s *Service) islands(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "islands": s.Islands()})
}

func (s *Service) island(w http.ResponseWriter, r *http.Request) {
	for _, is := range s.Islands() {
		if is.ID == r.PathValue("id") {
			httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "island": is})
			return
		}
	}
	httpx.Error(w, http.StatusNotFound, "Island not found: "+r.PathValue("id"))
}

type parcelCount struct {
	PeersCount int `json:"peersCount"`
	Parcel     struct {
		X int `json:"x"`
		Y int `json:"y"`
	} `json:"parcel"`
}

func (s *Service) parcelCounts() map[[2]int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[[2]int]int{}
	for id, p := range s.parcels {
		if _, ok := s.sessions[id]; ok {
			counts[p]++
		}
	}
	return counts
}

func (s *Service) parcelsHandler(w http.ResponseWriter, r *http.Request) {
	out := []parcelCount{}
	for p, n := range s.parcelCounts() {
		var pc parcelCount
		pc.PeersCount, pc.Parcel.X, pc.Parcel.Y = n, p[0], p[1]
		out = append(out, pc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PeersCount > out[j].PeersCount })
	httpx.JSON(w, http.StatusOK, map[string]any{"parcels": out})
}

type hotScene struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	BaseCoords      [2]int   `json:"baseCoords"`
	Parcels         [][2]int `json:"parcels"`
	UsersTotalCount int      `json:"usersTotalCount"`
	Thumbnail       string   `json:"thumbnail,omitempty"`
}

// hotScenes: the scenes with people in them, busiest first (at most 100),
// named from the node's own scene entities.
func (s *Service) hotScenes(w http.ResponseWriter, r *http.Request, st *store.Store) {
	out := []hotScene{}
	if st == nil {
		httpx.JSON(w, http.StatusOK, out)
		return
	}
	counts := s.parcelCounts()
	byScene := map[string]*hotScene{}
	for p, n := range counts {
		ds, err := st.ActiveByPointers(context.Background(), []string{fmt.Sprintf("%d,%d", p[0], p[1])})
		if err != nil || len(ds) == 0 {
			continue
		}
		var d = ds[0]
		for _, x := range ds {
			if x.Type == "scene" {
				d = x
			}
		}
		if d.Type != "scene" {
			continue
		}
		hs := byScene[d.ID]
		if hs == nil {
			sum := d.Summary()
			hs = &hotScene{ID: d.ID, Name: sum.Title, BaseCoords: sum.Base, Parcels: sum.Parcels}
			if sum.ThumbnailHash != "" {
				hs.Thumbnail = "/content/contents/" + sum.ThumbnailHash
			}
			byScene[d.ID] = hs
		}
		hs.UsersTotalCount += n
	}
	for _, hs := range byScene {
		out = append(out, *hs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UsersTotalCount > out[j].UsersTotalCount })
	if len(out) > 100 {
		out = out[:100]
	}
	httpx.JSON(w, http.StatusOK, out)
}
