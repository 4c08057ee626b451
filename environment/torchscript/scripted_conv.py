"""Makes the mixed-precision convolutions the library runs for precision=bf16: one TorchScript module per (stride,
padding) of the library's ResNets, each casting its input and weight to bfloat16, convolving, and casting the result
back to float32. DJL 0.36 cannot cast to bfloat16 itself (its native dtype table stops at bool) and runs its casts
without autograd; inside TorchScript the casts are ordinary differentiable ops, so gradients reach the fp32 weights.

Run with Debian's interpreter (apt-get install python3-torch):
    /usr/bin/python3 environment/torchscript/scripted_conv.py
The output is committed (src/main/resources/dev/excon/model/conv), so builds never need Python.
"""
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "main", "resources", "dev", "excon", "model", "conv")


class Bf16Conv(torch.nn.Module):
    stride: torch.jit.Final[int]
    padding: torch.jit.Final[int]

    def __init__(self, stride, padding):
        super().__init__()
        self.stride = stride
        self.padding = padding

    def forward(self, x, w):
        y = F.conv2d(x.to(torch.bfloat16), w.to(torch.bfloat16), None, [self.stride, self.stride],
                     [self.padding, self.padding])
        return y.to(torch.float32)


class ChannelsLastConv(torch.nn.Module):
    """The same in channels-last memory layout (NHWC in memory, NCHW in shape), where oneDNN needs no reorder; the
    output stays channels-last, so the next convolution gets it as it wants it."""
    stride: torch.jit.Final[int]
    padding: torch.jit.Final[int]
    bf16: torch.jit.Final[bool]

    def __init__(self, stride, padding, bf16):
        super().__init__()
        self.stride = stride
        self.padding = padding
        self.bf16 = bf16

    def forward(self, x, w):
        x = x.contiguous(memory_format=torch.channels_last)
        w = w.contiguous(memory_format=torch.channels_last)
        if self.bf16:
            x = x.to(torch.bfloat16)
            w = w.to(torch.bfloat16)
        y = F.conv2d(x, w, None, [self.stride, self.stride], [self.padding, self.padding])
        return y.to(torch.float32)


class CastRoundTrip(torch.nn.Module):
    """Only the casts a bf16 convolution adds around its arithmetic (make bench BENCH=conv measures their cost)."""

    def forward(self, x, w):
        return x.to(torch.bfloat16).to(torch.float32), w.to(torch.bfloat16).to(torch.float32)


def module(stride, padding, kind="bf16"):
    if kind == "bf16":
        return torch.jit.script(Bf16Conv(stride, padding))
    return torch.jit.script(ChannelsLastConv(stride, padding, kind == "bf16-cl"))


def main():
    os.makedirs(OUT, exist_ok=True)
    x = torch.randn(2, 4, 8, 8, dtype=torch.float64)
    for kind, prefix in (("bf16", "conv"), ("fp32-cl", "conv_cl"), ("bf16-cl", "conv_bf16_cl")):
        for stride in (1, 2):
            for padding in (0, 1):
                m = module(stride, padding, kind)
                w = torch.randn(3, 4, 2 * padding + 1, 2 * padding + 1, dtype=torch.float64)
                # Equal to a double-precision convolution of the (bfloat16-rounded) operands, to that rounding.
                rounded = (lambda t: t.to(torch.bfloat16).double()) if kind.startswith("bf16") else (lambda t: t)
                got = m(x.float(), w.float()).double()
                want = F.conv2d(rounded(x), rounded(w), None, stride, padding)
                assert torch.allclose(got, want, rtol=1e-2, atol=1e-2), (kind, stride, padding)
                name = "%s_s%d_p%d.pt" % (prefix, stride, padding)
                m.save(os.path.join(OUT, name))
                print("wrote", name)
    torch.jit.script(CastRoundTrip()).save(os.path.join(OUT, "cast_roundtrip.pt"))
    print("wrote cast_roundtrip.pt")


if __name__ == "__main__":
    main()
