package node

import (
	"testing"
)

// The node serves the auth server: the real socket.io-client relays a
// request and its outcome through the node's whole HTTP handler
// (testdata/js/authserver.js).
func TestAuthServerWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	_, base := startNode(t, nil)
	runScript(t, "authserver.js", base)
}
