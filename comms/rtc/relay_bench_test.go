package rtc

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/livekit/protocol/livekit"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

// BenchmarkRelay1000 is 1,000 simulated participants in 10 rooms of 100,
// each sending a movement-sized reliable packet at 10 Hz: every packet is
// parsed, stamped, encoded once and queued to 99 recipients, whose
// writers hand it to a sink standing in for the data channel. One
// iteration is 100 ms of that traffic (1,000 packets in, 99,000 out);
// relay latency runs from the packet's arrival to its sink.
//
//	go test -run X -bench Relay1000 -benchtime 50x ./comms/rtc/
func BenchmarkRelay1000(b *testing.B) {
	const rooms, perRoom, hz = 10, 100, 10
	m := newMetrics(nil)
	var mu sync.Mutex
	var lat []time.Duration
	var members [][]*member
	var roomList []*Room
	var wg sync.WaitGroup
	for r := range rooms {
		room := newRoom(fmt.Sprintf("island-I%d", r), m, guard.New("rtc", nil, nil))
		var ms []*member
		for i := range perRoom {
			mem := newMember(fmt.Sprintf("0x%040x", r*perRoom+i), DefaultLimits)
			room.add(mem, nil)
			ms = append(ms, mem)
			var local []time.Duration
			wg.Add(1)
			go func() {
				defer wg.Done()
				mem.drain(m, func(p outPacket) error {
					local = append(local, time.Since(p.at))
					return nil
				})
				mu.Lock()
				lat = append(lat, local...)
				mu.Unlock()
			}()
		}
		members = append(members, ms)
		roomList = append(roomList, room)
	}
	// An explorer's movement message is ~40 bytes of rfc4 protobuf.
	payload, _ := proto.Marshal(&livekit.DataPacket{Value: &livekit.DataPacket_User{User: &livekit.UserPacket{Payload: make([]byte, 40)}}})
	// Each room's members send in turn, spread evenly over the 100 ms.
	step := time.Second / hz / perRoom
	b.ResetTimer()
	start := time.Now()
	var senders sync.WaitGroup
	for r, ms := range members {
		senders.Add(1)
		go func() {
			defer senders.Done()
			room := roomList[r]
			next := time.Now()
			for range b.N {
				for _, mem := range ms {
					room.relay(mem, payload, true)
					next = next.Add(step)
					if d := time.Until(next); d > 0 {
						time.Sleep(d)
					}
				}
			}
		}()
	}
	senders.Wait()
	elapsed := time.Since(start)
	time.Sleep(100 * time.Millisecond) // let the writers finish
	for _, ms := range members {
		for _, mem := range ms {
			mem.stop()
		}
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("nothing relayed")
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	if want := b.N * rooms * perRoom * (perRoom - 1); len(lat) != want {
		b.Errorf("%d deliveries, want %d (dropped under load)", len(lat), want)
	}
}
