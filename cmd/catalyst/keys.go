package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/node"
)

// keys creates or shows the operator's Ethereum identity in the data dir.
func keys(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("keys", "new|show [--data DIR]",
		"new creates the operator's Ethereum key in DATA/keys/operator.key (it refuses to replace one);\n"+
			"show prints its address. deploy signs with it.", stdout, stderr, args)
	data := fs.String("data", envOr("CATALYST_DATA", "./data"), "data directory, as for run ($CATALYST_DATA)")
	if len(args) == 0 {
		fs.Usage()
		return usagef("keys: new or show?")
	}
	sub, rest := args[0], args[1:]
	if sub == "-h" || sub == "--help" || sub == "-help" {
		sub, rest = "", args
	}
	if err := parse(fs, rest, 0); err != nil {
		return err
	}
	path := node.OperatorKeyFile(*data)
	switch sub {
	case "new":
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("keys: %s exists (catalyst keys show prints its address); remove it first to make another", path)
		}
		key, err := crypto.GenerateKey()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), "operator.key.*")
		if err != nil {
			return err
		}
		tmp.Close()
		defer os.Remove(tmp.Name())
		if err := crypto.SaveECDSA(tmp.Name(), key); err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		// A link, not a rename: it fails if another `keys new` got there
		// first, instead of replacing the key it printed.
		if err := os.Link(tmp.Name(), path); err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		fmt.Fprintf(stdout, "address %s\nkey     %s (keep it secret; back it up)\n", address(key), abs(path))
		return nil
	case "show":
		key, err := loadOperatorKey(*data)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "address %s\nkey     %s\n", address(key), abs(path))
		return nil
	}
	fs.Usage()
	return usagef("keys: unknown subcommand %q (new or show)", sub)
}

// loadOperatorKey reads the operator's key, saying how to make one when
// there is none.
func loadOperatorKey(dataDir string) (*ecdsa.PrivateKey, error) {
	path := node.OperatorKeyFile(dataDir)
	key, err := crypto.LoadECDSA(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no operator key in %s: create one with `catalyst keys new --data %s`", abs(path), dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("operator key %s: %w", abs(path), err)
	}
	return key, nil
}

func address(key *ecdsa.PrivateKey) string { return crypto.PubkeyToAddress(key.PublicKey).Hex() }

func abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}
