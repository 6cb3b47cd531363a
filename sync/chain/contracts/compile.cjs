// compile.cjs compiles every .sol file of this directory with the npm
// solc package and writes, for each contract, build/<Name>.abi, .bin and
// .bin-runtime. Run through build.sh.
const fs = require('fs')
const path = require('path')
const solc = require('solc')

const dir = __dirname
const sources = {}
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') }
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris', // no PUSH0: runs on every chain the node may meet
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
}
const out = JSON.parse(solc.compile(JSON.stringify(input)))
let failed = false
for (const e of out.errors || []) {
  console.error(e.formattedMessage)
  if (e.severity === 'error') failed = true
}
if (failed) process.exit(1)
fs.mkdirSync(path.join(dir, 'build'), { recursive: true })
for (const file of Object.keys(out.contracts)) {
  for (const [name, c] of Object.entries(out.contracts[file])) {
    const base = path.join(dir, 'build', name)
    fs.writeFileSync(base + '.abi', JSON.stringify(c.abi) + '\n')
    fs.writeFileSync(base + '.bin', c.evm.bytecode.object + '\n')
    fs.writeFileSync(base + '.bin-runtime', c.evm.deployedBytecode.object + '\n')
    console.log('compiled', name, 'with solc', solc.version())
  }
}
