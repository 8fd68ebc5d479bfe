"""PyTorch side of the pretraining benchmark: one SimCLR step (2 x batch views through ResNet-50
with the paper's stem + projection head, NT-Xent tau 0.5, backward, LARS as SimCLR's) on
pre-made views, timed like bench/pretrain.ts. Prints one JSON object."""
import json, sys, time, statistics, resource
import torch, torch.nn as nn, torch.nn.functional as F, torchvision

def build():
    m = torchvision.models.resnet50()
    m.conv1 = nn.Conv2d(1, 64, 3, 1, 1, bias=False); m.maxpool = nn.Identity(); m.fc = nn.Identity()
    return nn.Sequential(m, nn.Sequential(nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 128)))

def nt_xent(z, tau):
    n = z.shape[0] // 2
    z = F.normalize(z.float(), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(-1e9)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)

class Lars(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9, wd=1e-6, eta=1e-3):
        super().__init__(params, dict(lr=lr, momentum=momentum, wd=wd, eta=eta))
    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g['params']:
                if p.grad is None: continue
                d = p.grad
                if p.ndim > 1:
                    d = d.add(p, alpha=g['wd'])
                    wn, gn = p.norm(), d.norm()
                    trust = torch.where((wn > 0) & (gn > 0), g['eta'] * wn / gn, torch.ones_like(wn))
                    d = d * trust
                buf = self.state[p].get('buf')
                if buf is None: buf = self.state[p]['buf'] = torch.zeros_like(p)
                buf.mul_(g['momentum']).add_(d, alpha=g['lr'])
                p.sub_(buf)

def main():
    a = json.loads(sys.argv[1])
    torch.set_num_threads(a['threads'])
    torch.manual_seed(0)
    out = {}
    for cfg in a['configs']:
        model = build().to(memory_format=torch.channels_last)
        opt = Lars(model.parameters(), lr=0.3)
        views = torch.rand(2 * a['batch'], 1, 32, 32).contiguous(memory_format=torch.channels_last)
        times = []
        for i in range(a['warmup'] + a['iters']):
            t0 = time.perf_counter()
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=cfg['bf16']):
                z = model(views)
            loss = nt_xent(z, 0.5)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if i >= a['warmup']: times.append(time.perf_counter() - t0)
        out[cfg['name']] = 2 * a['batch'] / statistics.median(times)
        # Peak resident memory of this process so far (bytes; one config per process in the bench).
        out[cfg['name'] + ' maxrss'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(out))

main()
