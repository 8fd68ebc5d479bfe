"""PyTorch side of `npm run bench`: the same ResNet-50 (paper stem) + projection head, batch and
configurations as bench/resnet.ts, timed the same way. Prints one JSON object."""
import json, sys, time, statistics
import torch, torch.nn as nn, torchvision

def build():
    m = torchvision.models.resnet50()
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    m.fc = nn.Identity()
    head = nn.Sequential(nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 128))
    return nn.Sequential(m, head)

def run(cfg, batch, iters, warmup):
    torch.manual_seed(0)
    model = build()
    x = torch.randn(batch, 3, 32, 32)
    if cfg['channels_last']:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    times = []
    for i in range(warmup + iters):
        t0 = time.perf_counter()
        if cfg['train']:
            model.train()
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=cfg['bf16']):
                out = model(x)
            loss = out.float().pow(2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        else:
            model.eval()
            with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=cfg['bf16']):
                out = model(x)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return batch / statistics.median(times)

def main():
    args = json.loads(sys.argv[1])
    torch.set_num_threads(args['threads'])
    out = {'torch': torch.__version__}
    for cfg in args['configs']:
        out[cfg['name']] = run(cfg, args['batch'], args['iters'], args['warmup'])
    print(json.dumps(out))

main()
