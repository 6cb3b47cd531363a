package node

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

// startAnvil runs anvil (npm @foundry-rs/anvil, installed by .ci/test
// in testdata/js) on a free loopback port with a chain id, until the
// test ends.
func startAnvil(t *testing.T, chainID int) string {
	t.Helper()
	bin := filepath.Join(repoRoot(t), "testdata", "js", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("anvil is missing: run `npm ci` in testdata/js (bash .ci/test does): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--chain-id", fmt.Sprint(chainID), "--silent")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		var id string
		c, derr := rpc.DialContext(ctx, url)
		if derr == nil {
			derr = c.CallContext(ctx, &id, "eth_chainId")
			c.Close()
		}
		cancel()
		if derr == nil {
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("anvil on %s did not answer: %v", url, derr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDevChainProcess is the chain as an operator meets it: anvil, a
// real development chain, as Ethereum (chain id 1) and Polygon (137)
// with the mock contracts at the mainnet addresses, and the catalyst
// binary run with only --eth-rpc and --polygon-rpc.
func TestDevChainProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs anvil and the real binary")
	}
	l1 := chaintest.Dial(t, startAnvil(t, 1), "anvil", chaintest.L1Code())
	l2 := chaintest.Dial(t, startAnvil(t, 137), "anvil", chaintest.L2Code())
	net := chaintest.On(t, l1, l2)
	owner, operator, estateOwner, stranger := entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity(), entitytest.NewIdentity()
	a := func(id *entitytest.Identity) common.Address { return common.HexToAddress(id.Address) }
	set := func(x, y int64, to common.Address) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.LAND.SetOwner(o, chaintest.Parcel(x, y), to)
		}
	}
	net.L1.Send(
		set(10, 20, a(owner)), set(10, 21, a(owner)), set(10, 22, a(owner)), set(10, 23, a(owner)),
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.LAND.SetUpdateOperator(o, chaintest.Parcel(10, 21), a(operator))
		},
		set(11, 20, net.Contracts.Estate.Address),
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Estate.SetLandEstate(o, chaintest.Parcel(11, 20), big.NewInt(4))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Estate.SetOwner(o, big.NewInt(4), a(estateOwner))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return net.Registrar.Register(o, "operator", a(owner))
		},
	)
	for range 13 { // past the indexer's confirmations
		net.L1.Commit()
	}
	p := startProcess(t, t.TempDir(), "--eth-rpc", net.L1.URL, "--polygon-rpc", net.L2.URL)
	c := client{t, p.base}

	deploy := func(d *entitytest.Deployment, want int, says string) {
		t.Helper()
		status, body := c.deploy(d)
		if status != want || !strings.Contains(fmt.Sprint(body), says) {
			t.Fatalf("deploy: %d %v, want %d saying %q", status, body, want, says)
		}
	}
	scene := func(id *entitytest.Identity, parcel string) *entitytest.Deployment {
		return entitytest.Scene(id, time.Now(), []string{parcel}, map[string][]byte{"bin/index.js": []byte(id.Address)})
	}
	deploy(scene(owner, "10,20"), 200, "creationTimestamp")
	deploy(scene(operator, "10,21"), 200, "creationTimestamp")
	deploy(scene(estateOwner, "11,20"), 200, "creationTimestamp")
	deploy(scene(stranger, "10,22"), 400, stranger.Address+" does not own or operate parcel 10,22")
	net.L1.Send(set(10, 23, a(stranger)))
	deploy(scene(stranger, "10,23"), 200, "creationTimestamp")

	claim := func(id *entitytest.Identity, name string) *entitytest.Deployment {
		meta := entitytest.ProfileMetadata(id, name)
		meta["avatars"].([]any)[0].(map[string]any)["hasClaimedName"] = true
		return entitytest.Build(id, entity.Profile, []string{id.Address}, time.Now(), meta, nil)
	}
	deploy(claim(operator, "operator"), 400, "does not own the NAME operator")
	deploy(claim(owner, "operator"), 200, "creationTimestamp")

	// Lambdas list what the chain says (the index caught up at start).
	var names, lands pageJSON
	deadline := time.Now().Add(30 * time.Second)
	for {
		c.json("GET", "/lambdas/users/"+owner.Address+"/names", nil, &names)
		c.json("GET", "/lambdas/users/"+estateOwner.Address+"/lands", nil, &lands)
		if names.TotalAmount == 1 && lands.TotalAmount == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("names %+v, lands %+v", names, lands)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if names.Elements[0]["name"] != "operator" || lands.Elements[0]["category"] != "estate" {
		t.Errorf("names %+v, lands %+v", names, lands)
	}
	var profile map[string]any
	c.json("GET", "/lambdas/profiles/"+owner.Address, nil, &profile)
	if avatars, _ := profile["avatars"].([]any); len(avatars) != 1 || avatars[0].(map[string]any)["hasClaimedName"] != true {
		t.Errorf("the owner's profile: %v", profile)
	}

	// A catalyst of another chain is refused at start, with the reason.
	cmd := exec.Command(catalystBinary(t), "run", "--data", t.TempDir(), "--http", "127.0.0.1:0", "--listen", "/ip4/127.0.0.1/tcp/0",
		"--rtc-udp-port", "0", "--eth-rpc", net.L2.URL)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "serves chain id 137, not 1") {
		t.Errorf("a node given a Polygon RPC as Ethereum's: %v\n%s", err, out)
	}

	// Without an RPC the node starts and says what it does not check.
	dev := startProcess(t, t.TempDir())
	var about map[string]any
	client{t, dev.base}.json("GET", "/about", nil, &about)
	if ch, _ := about["chain"].(map[string]any); ch["checks"] != "none" {
		t.Errorf("dev mode /about: %v", about["chain"])
	}
}
