package ports

import (
	"net"
	"slices"
	"strconv"
	"testing"
)

func TestChoose(t *testing.T) {
	held, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	taken := held.Addr().String()

	if _, err := Choose("tcp4", taken); !Taken(err) {
		t.Fatalf("a held port: %v, want EADDRINUSE", err)
	}
	got, err := Choose("tcp4", taken, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, p, _ := net.SplitHostPort(got)
	if n, _ := strconv.Atoi(p); host != "127.0.0.1" || n == 0 || got == taken {
		t.Fatalf("fallback chose %s", got)
	}
	// The chosen port is free again: the caller binds it.
	l, err := net.Listen("tcp4", got)
	if err != nil {
		t.Fatalf("the chosen port is still held: %v", err)
	}
	l.Close()

	u, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if _, err := Choose("udp4", u.LocalAddr().String()); !Taken(err) {
		t.Fatalf("a held udp port: %v", err)
	}
	if _, err := Choose("sctp", "127.0.0.1:0"); err == nil || Taken(err) {
		t.Fatalf("unknown network: %v", err)
	}
}

func TestCandidates(t *testing.T) {
	for _, c := range []struct {
		port, remembered string
		any              bool
		want             []string
	}{
		{"4001", "", false, []string{"h:4001"}},
		{"4001", "5000", false, []string{"h:4001"}},
		{"4001", "5000", true, []string{"h:4001", "h:5000", "h:0"}},
		{"4001", "4001", true, []string{"h:4001", "h:0"}},
		{"0", "5000", false, []string{"h:5000", "h:0"}},
		{"0", "", false, []string{"h:0"}},
	} {
		if got := Candidates("h", c.port, c.remembered, c.any); !slices.Equal(got, c.want) {
			t.Errorf("Candidates(%s, %q, %v) = %v, want %v", c.port, c.remembered, c.any, got, c.want)
		}
	}
}
