package archipelago

import (
	"fmt"
	"testing"

	"github.com/p2pcatalyst/catalyst/comms/islands"
)

// A session's heartbeats add up to walks and climbs; teleports count for
// neither.
func TestTrip(t *testing.T) {
	var walks, climbs []string
	s := &Service{cfg: Config{
		Walked:  func(_ string, m float64) { walks = append(walks, fmt.Sprintf("%.0f", m)) },
		Climbed: func(_ string, total float64) { climbs = append(climbs, fmt.Sprintf("%.0f", total)) },
	}}
	var tr trip
	x, y := 0.0, 0.0
	for range 25 { // 10 m a beat, up 10 m every other one
		x += 10
		tr.move(s, "0xa", islands.Position{X: x, Y: y})
		y += 5
	}
	tr.move(s, "0xa", islands.Position{X: x + 5000, Y: y + 900}) // a teleport
	tr.move(s, "0xa", islands.Position{X: x + 5010, Y: y + 900})
	if fmt.Sprint(walks) != "[100 100]" {
		t.Fatalf("walks %v", walks)
	}
	if fmt.Sprint(climbs) != "[100]" {
		t.Fatalf("climbs %v", climbs)
	}
}
