// Weights move between PyTorch and mammoclr: a torchvision ResNet-18 (paper stem) written by
// PyTorch as safetensors loads into our ResNet under the same names and gives the same outputs,
// and our state dict has exactly torchvision's keys. Needs python3 with torch and torchvision
// (Debian's python3-torch); skips with a message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, noGrad } from '../../src/tensor/index.js';
import { resnet } from '../../src/nn/resnet.js';

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0);
const dir = mkdtempSync(join(tmpdir(), 'mammoclr-tv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// PyTorch side: safetensors written by hand (the format is 8 bytes of header length, JSON, data),
// so no safetensors package is needed.
const SCRIPT = String.raw`
import json, struct, sys, torch, torch.nn as nn, torchvision
torch.manual_seed(0)
m = torchvision.models.resnet18()
m.conv1 = nn.Conv2d(1, 64, 3, 1, 1, bias=False); m.maxpool = nn.Identity(); m.fc = nn.Identity()
for mod in m.modules():
    if isinstance(mod, nn.BatchNorm2d):
        mod.running_mean.uniform_(-0.1, 0.1); mod.running_var.uniform_(0.5, 1.5); mod.weight.data.uniform_(0.5, 1.5); mod.bias.data.uniform_(-0.1, 0.1)
m.eval()
x = torch.rand(2, 1, 32, 32)
with torch.no_grad(): y = m(x)
tensors = {k: v.contiguous() for k, v in m.state_dict().items()}
tensors['__input'] = x; tensors['__output'] = y
header, blobs, off = {}, [], 0
for k, v in tensors.items():
    b = v.numpy().tobytes()
    header[k] = {'dtype': {torch.float32: 'F32', torch.int64: 'I64'}[v.dtype], 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
    blobs.append(b); off += len(b)
h = json.dumps(header).encode(); h += b' ' * ((8 - len(h) % 8) % 8)
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<Q', len(h))); f.write(h); [f.write(b) for b in blobs]
`;

test('a torchvision ResNet-18 state dict loads by name and reproduces PyTorch\'s features', { skip: python ? false : 'python3 with torch and torchvision is not installed' }, async () => {
  const path = join(dir, 'tv.safetensors');
  const r = spawnSync(python!, ['-c', SCRIPT, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(path) && readFileSync(path).length > 1000);
  const { tensors } = await loadSafetensors(path);
  const x = tensors.get('__input')!;
  const expected = tensors.get('__output')!;
  tensors.delete('__input');
  tensors.delete('__output');
  const model = resnet(18, { stem: 'cifar', inChannels: 1 });
  assert.deepEqual([...model.stateDict().keys()].sort(), [...tensors.keys()].sort(), 'same state dict keys as torchvision');
  model.loadStateDict(tensors);
  model.eval();
  const y = noGrad(() => model.forward(x));
  const a = y.toArray();
  const b = expected.toArray();
  assert.equal(a.length, b.length);
  const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  assert.ok(maxDiff < 1e-4, `max difference ${maxDiff}`);
});
