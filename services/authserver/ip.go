package authserver

import (
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"net"
	"net/http"
	"strings"
)

// remoteIP is the address a request came from: the TCP peer (behind a
// proxy, the proxy; Config.ClientIP overrides it).
func remoteIP(r *http.Request) string { return httpx.ClientIP(r) }

// normalizeIP folds an IPv4-mapped IPv6 address to IPv4, as the original's
// normalizeIp does.
func normalizeIP(ip string) string {
	return strings.TrimSpace(strings.TrimPrefix(ip, "::ffff:"))
}

// ipsMatch is the original's identity IP binding (src/controllers/utils.ts
// ipsMatch): the same address, or two IPv4 addresses of one /24 (VPN and
// CDN edges of a region differ in the last octet).
func ipsMatch(a, b string) bool {
	if a == "" || b == "" || a == "unknown" || b == "unknown" {
		return false
	}
	a, b = normalizeIP(a), normalizeIP(b)
	if a == b {
		return true
	}
	ia, ib := net.ParseIP(a).To4(), net.ParseIP(b).To4()
	if ia == nil || ib == nil || !strings.Contains(a, ".") || !strings.Contains(b, ".") {
		return false
	}
	return ia[0] == ib[0] && ia[1] == ib[1] && ia[2] == ib[2]
}
