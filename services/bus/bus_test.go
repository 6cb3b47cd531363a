package bus

import "testing"

func TestPublishReachesMatchingSubscribersWithoutBlocking(t *testing.T) {
	b := New(nil)
	all, cancelAll := b.Subscribe(2, nil)
	comms, cancelComms := b.Subscribe(8, func(e Event) bool { return e.Type == "comms" })
	defer cancelComms()
	for _, e := range []Event{{Type: "comms", SubType: "user-joined-room"}, {Type: "client", SubType: "move-to-parcel"}, {Type: "comms", SubType: "user-left-room"}} {
		b.Publish(e) // the third overflows `all`: dropped, not blocking
	}
	if e := <-all; e.SubType != "user-joined-room" {
		t.Fatalf("first event %v", e)
	}
	if e := <-all; e.SubType != "move-to-parcel" {
		t.Fatalf("second event %v", e)
	}
	if len(all) != 0 {
		t.Fatal("a full subscriber received past its buffer")
	}
	if a, b := <-comms, <-comms; a.SubType != "user-joined-room" || b.SubType != "user-left-room" || len(comms) != 0 {
		t.Fatalf("filtered subscriber got %v, %v", a, b)
	}
	cancelAll()
	cancelAll() // idempotent
	if _, open := <-all; open {
		t.Fatal("cancelled subscription still open")
	}
	b.Publish(Event{Type: "comms"}) // no panic on a closed subscriber
}
