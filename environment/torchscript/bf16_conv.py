"""Makes the mixed-precision convolutions the library runs for precision=bf16: one TorchScript module per (stride,
padding) of the library's ResNets, each casting its input and weight to bfloat16, convolving, and casting the result
back to float32. DJL 0.36 cannot cast to bfloat16 itself (its native dtype table stops at bool) and runs its casts
without autograd; inside TorchScript the casts are ordinary differentiable ops, so gradients reach the fp32 weights.

Run with Debian's interpreter (apt-get install python3-torch):
    /usr/bin/python3 environment/torchscript/bf16_conv.py
The output is committed (src/main/resources/dev/excon/model/bf16), so builds never need Python.
"""
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "main", "resources", "dev", "excon", "model", "bf16")


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


def module(stride, padding):
    return torch.jit.script(Bf16Conv(stride, padding))


def main():
    os.makedirs(OUT, exist_ok=True)
    x = torch.randn(2, 4, 8, 8, dtype=torch.float64)
    for stride in (1, 2):
        for padding in (0, 1):
            m = module(stride, padding)
            w = torch.randn(3, 4, 2 * padding + 1, 2 * padding + 1, dtype=torch.float64)
            # The module must equal a double-precision convolution of bfloat16-rounded operands (to fp32 rounding).
            got = m(x.float(), w.float()).double()
            want = F.conv2d(x.to(torch.bfloat16).double(), w.to(torch.bfloat16).double(), None, stride, padding)
            assert torch.allclose(got, want, rtol=1e-2, atol=1e-2), (stride, padding)
            name = "conv_s%d_p%d.pt" % (stride, padding)
            m.save(os.path.join(OUT, name))
            print("wrote", name)


if __name__ == "__main__":
    main()
