using Face2Data.Onnx.Converters;

namespace Face2Data.Onnx.Tests.Converters;

/// <summary>A tensor of the reference interpreter: TensorFlow's shape and row-major values in double precision.</summary>
internal sealed record RefTensor(int[] Shape, double[] Data)
{
    public int Count => Data.Length;
}

/// <summary>
/// A plain float64 NHWC interpreter of the TensorFlow.js operators the converter supports, written from TensorFlow's
/// definitions and independent of the ONNX translation, to check the converted graphs against.
/// </summary>
internal static class TfjsReferenceInterpreter
{
    public static Dictionary<string, RefTensor> Run(TfjsGraphModel model, RefTensor input, float inputScale = 1f, float inputOffset = 0f)
    {
        var values = new Dictionary<string, RefTensor>(StringComparer.Ordinal);
        foreach (var node in model.Nodes)
        {
            RefTensor In(int i) => values[node.Inputs[i]];
            values[node.Name] = node.Op switch
            {
                "Const" => FromWeight(model.Weights[node.Name]),
                "Placeholder" => new RefTensor(input.Shape, input.Data.Select(v => (v * inputScale) + inputOffset).ToArray()),
                "Identity" => In(0),
                "Conv2D" or "_FusedConv2D" => Fused(node, Conv(In(0), In(1), node, depthwise: false), node.Inputs.Skip(2).Select(i => values[i]).ToList()),
                "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative" => Fused(node, Conv(In(0), In(1), node, depthwise: true), node.Inputs.Skip(2).Select(i => values[i]).ToList()),
                "BiasAdd" or "Add" or "AddV2" => Binary(In(0), In(1), (a, b) => a + b),
                "Sub" => Binary(In(0), In(1), (a, b) => a - b),
                "Mul" => Binary(In(0), In(1), (a, b) => a * b),
                "RealDiv" => Binary(In(0), In(1), (a, b) => a / b),
                "Maximum" => Binary(In(0), In(1), Math.Max),
                "Minimum" => Binary(In(0), In(1), Math.Min),
                "Relu" or "Relu6" or "Elu" or "Sigmoid" or "Tanh" => Map(In(0), Activation(node.Op, node.Float("alpha", 0.2f))),
                "LeakyRelu" => Map(In(0), Activation("LeakyRelu", node.Float("alpha", 0.2f))),
                "Prelu" => Binary(In(0), In(1), (x, a) => x >= 0 ? x : a * x),
                "MaxPool" or "AvgPool" => Pool(In(0), node),
                "Pad" => Pad(In(0), In(1)),
                "Reshape" => Reshape(In(0), In(1)),
                "Shape" => new RefTensor([In(0).Shape.Length], In(0).Shape.Select(d => (double)d).ToArray()),
                "StridedSlice" => StridedSlice(In(0), In(1), In(2), In(3), node),
                "Pack" => Pack(node.Inputs.Select(i => values[i]).ToList()),
                "ConcatV2" => Concat(node.Inputs.Take(node.Inputs.Count - 1).Select(i => values[i]).ToList(), (int)values[node.Inputs[^1]].Data[0]),
                "ResizeBilinear" => ResizeBilinear(In(0), In(1), node.Bool("half_pixel_centers"), node.Bool("align_corners")),
                "DepthToSpace" => DepthToSpace(In(0), (int)node.Int("block_size", 2)),
                "Max" => Reduce(In(0), In(1), node.Bool("keep_dims"), max: true),
                "Mean" => Reduce(In(0), In(1), node.Bool("keep_dims"), max: false),
                "MatMul" or "_FusedMatMul" => Fused(node, MatMul(In(0), In(1), node.Bool("transpose_a"), node.Bool("transpose_b")), node.Inputs.Skip(2).Select(i => values[i]).ToList()),
                "Softmax" => Softmax(In(0)),
                _ => throw new NotSupportedException(node.Op),
            };
        }

        return model.Outputs.ToDictionary(o => o, o => values[o], StringComparer.Ordinal);
    }

    private static RefTensor FromWeight(TfjsTensor t) =>
        new(t.Shape, Enumerable.Range(0, t.Count).Select(t.At).ToArray());

    private static Func<double, double> Activation(string op, float alpha) => op switch
    {
        "Relu" => x => Math.Max(0, x),
        "Relu6" => x => Math.Clamp(x, 0, 6),
        "Elu" => x => x >= 0 ? x : Math.Exp(x) - 1,
        "Sigmoid" => x => 1 / (1 + Math.Exp(-x)),
        "Tanh" => Math.Tanh,
        "LeakyRelu" => x => x >= 0 ? x : alpha * x,
        _ => throw new NotSupportedException(op),
    };

    private static RefTensor Map(RefTensor x, Func<double, double> f) => x with { Data = x.Data.Select(f).ToArray() };

    private static RefTensor Fused(TfjsNode node, RefTensor x, List<RefTensor> args)
    {
        var next = 0;
        foreach (var op in node.Strings("fused_ops"))
        {
            x = op switch
            {
                "BiasAdd" => Binary(x, args[next++], (a, b) => a + b),
                "Prelu" => Binary(x, args[next++], (v, a) => v >= 0 ? v : a * v),
                _ => Map(x, Activation(op, node.Float("leakyrelu_alpha", 0.2f))),
            };
        }

        return x;
    }

    // numpy broadcasting, right-aligned.
    private static RefTensor Binary(RefTensor a, RefTensor b, Func<double, double, double> f)
    {
        var rank = Math.Max(a.Shape.Length, b.Shape.Length);
        var sa = Enumerable.Repeat(1, rank - a.Shape.Length).Concat(a.Shape).ToArray();
        var sb = Enumerable.Repeat(1, rank - b.Shape.Length).Concat(b.Shape).ToArray();
        var shape = sa.Zip(sb, Math.Max).ToArray();
        var result = new double[shape.Aggregate(1, (p, d) => p * d)];
        var index = new int[rank];
        for (var i = 0; i < result.Length; i++)
        {
            var rem = i;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % shape[d];
                rem /= shape[d];
            }

            int ia = 0, ib = 0;
            for (var d = 0; d < rank; d++)
            {
                ia = (ia * sa[d]) + (sa[d] == 1 ? 0 : index[d]);
                ib = (ib * sb[d]) + (sb[d] == 1 ? 0 : index[d]);
            }

            result[i] = f(a.Data[ia], b.Data[ib]);
        }

        return new RefTensor(shape, result);
    }

    // TensorFlow's SAME: total padding so that out = ceil(in / stride), the smaller half before.
    private static (int Out, int Before) Same(int size, int kernel, int stride, int dilation, string padding, long explicitBefore = 0, long explicitAfter = 0)
    {
        var effective = ((kernel - 1) * dilation) + 1;
        switch (padding)
        {
            case "VALID":
                return (((size - effective) / stride) + 1, 0);
            case "EXPLICIT":
                return ((int)((size + explicitBefore + explicitAfter - effective) / stride) + 1, (int)explicitBefore);
            default:
                var output = (size + stride - 1) / stride;
                var total = Math.Max(((output - 1) * stride) + effective - size, 0);
                return (output, total / 2);
        }
    }

    private static RefTensor Conv(RefTensor x, RefTensor f, TfjsNode node, bool depthwise)
    {
        var (n, h, w, c) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (kh, kw, fin, fout) = (f.Shape[0], f.Shape[1], f.Shape[2], f.Shape[3]);
        var strides = node.Ints("strides");
        var dilations = node.Ints("dilations");
        var (sh, sw) = ((int)strides[1], (int)strides[2]);
        var (dh, dw) = dilations.Length == 4 ? ((int)dilations[1], (int)dilations[2]) : (1, 1);
        var padding = node.String("padding", "VALID");
        var ex = node.Ints("explicit_paddings");
        var (oh, pt) = Same(h, kh, sh, dh, padding, ex.Length == 8 ? ex[2] : 0, ex.Length == 8 ? ex[3] : 0);
        var (ow, pl) = Same(w, kw, sw, dw, padding, ex.Length == 8 ? ex[4] : 0, ex.Length == 8 ? ex[5] : 0);
        var co = depthwise ? c * fout : fout;
        var result = new double[n * oh * ow * co];
        for (var b = 0; b < n; b++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    for (var ky = 0; ky < kh; ky++)
                    {
                        var iy = (oy * sh) + (ky * dh) - pt;
                        if (iy < 0 || iy >= h)
                        {
                            continue;
                        }

                        for (var kx = 0; kx < kw; kx++)
                        {
                            var ix = (ox * sw) + (kx * dw) - pl;
                            if (ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            var inBase = ((((b * h) + iy) * w) + ix) * c;
                            var outBase = ((((b * oh) + oy) * ow) + ox) * co;
                            for (var i = 0; i < fin; i++)
                            {
                                var v = x.Data[inBase + i];
                                for (var o = 0; o < fout; o++)
                                {
                                    var weight = f.Data[((((ky * kw) + kx) * fin) + i) * fout + o];
                                    result[outBase + (depthwise ? (i * fout) + o : o)] += v * weight;
                                }
                            }
                        }
                    }
                }
            }
        }

        return new RefTensor([n, oh, ow, co], result);
    }

    private static RefTensor Pool(RefTensor x, TfjsNode node)
    {
        var (n, h, w, c) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var k = node.Ints("ksize");
        var s = node.Ints("strides");
        var padding = node.String("padding", "VALID");
        var (oh, pt) = Same(h, (int)k[1], (int)s[1], 1, padding);
        var (ow, pl) = Same(w, (int)k[2], (int)s[2], 1, padding);
        var max = node.Op == "MaxPool";
        var result = new double[n * oh * ow * c];
        for (var b = 0; b < n; b++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    for (var ch = 0; ch < c; ch++)
                    {
                        var acc = max ? double.NegativeInfinity : 0;
                        var count = 0;
                        for (var ky = 0; ky < k[1]; ky++)
                        {
                            for (var kx = 0; kx < k[2]; kx++)
                            {
                                var (iy, ix) = ((int)((oy * s[1]) + ky - pt), (int)((ox * s[2]) + kx - pl));
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                {
                                    continue;
                                }

                                var v = x.Data[((((b * h) + iy) * w) + ix) * c + ch];
                                acc = max ? Math.Max(acc, v) : acc + v;
                                count++;
                            }
                        }

                        result[((((b * oh) + oy) * ow) + ox) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }

        return new RefTensor([n, oh, ow, c], result);
    }

    private static RefTensor Pad(RefTensor x, RefTensor paddings)
    {
        var rank = x.Shape.Length;
        var shape = Enumerable.Range(0, rank).Select(d => x.Shape[d] + (int)paddings.Data[2 * d] + (int)paddings.Data[(2 * d) + 1]).ToArray();
        var result = new double[shape.Aggregate(1, (p, d) => p * d)];
        var index = new int[rank];
        for (var i = 0; i < x.Count; i++)
        {
            var rem = i;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % x.Shape[d];
                rem /= x.Shape[d];
            }

            var o = 0;
            for (var d = 0; d < rank; d++)
            {
                o = (o * shape[d]) + index[d] + (int)paddings.Data[2 * d];
            }

            result[o] = x.Data[i];
        }

        return new RefTensor(shape, result);
    }

    private static RefTensor Reshape(RefTensor x, RefTensor shape)
    {
        var dims = shape.Data.Select(d => (int)d).ToArray();
        var known = dims.Where(d => d >= 0).Aggregate(1, (p, d) => p * d);
        dims = dims.Select(d => d < 0 ? x.Count / known : d).ToArray();
        return new RefTensor(dims, x.Data);
    }

    private static RefTensor StridedSlice(RefTensor x, RefTensor begin, RefTensor end, RefTensor strides, TfjsNode node)
    {
        // Rank-1 only (what shape arithmetic uses).
        var (beginMask, endMask, shrinkMask) = (node.Int("begin_mask", 0), node.Int("end_mask", 0), node.Int("shrink_axis_mask", 0));
        var length = x.Shape[0];
        var start = (beginMask & 1) != 0 ? 0 : (int)begin.Data[0];
        start = start < 0 ? start + length : start;
        if ((shrinkMask & 1) != 0)
        {
            return new RefTensor([], [x.Data[start]]);
        }

        var stop = (endMask & 1) != 0 ? length : (int)end.Data[0];
        stop = stop < 0 ? stop + length : Math.Min(stop, length);
        var step = (int)strides.Data[0];
        var items = new List<double>();
        for (var i = start; i < stop; i += step)
        {
            items.Add(x.Data[i]);
        }

        return new RefTensor([items.Count], items.ToArray());
    }

    private static RefTensor Pack(List<RefTensor> parts) =>
        new([parts.Count, .. parts[0].Shape], parts.SelectMany(p => p.Data).ToArray());

    private static RefTensor Concat(List<RefTensor> parts, int axis)
    {
        var rank = parts[0].Shape.Length;
        axis = axis < 0 ? axis + rank : axis;
        var outer = parts[0].Shape.Take(axis).Aggregate(1, (p, d) => p * d);
        var shape = parts[0].Shape.ToArray();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        var result = new List<double>();
        for (var o = 0; o < outer; o++)
        {
            foreach (var p in parts)
            {
                var chunk = p.Count / outer;
                result.AddRange(p.Data.Skip(o * chunk).Take(chunk));
            }
        }

        return new RefTensor(shape, result.ToArray());
    }

    private static RefTensor ResizeBilinear(RefTensor x, RefTensor size, bool halfPixel, bool alignCorners)
    {
        var (n, h, w, c) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (oh, ow) = ((int)size.Data[0], (int)size.Data[1]);
        double Scale(int input, int output) => alignCorners && output > 1 ? (input - 1.0) / (output - 1) : (double)input / output;
        (int Low, int High, double Lerp) Source(int o, int input, int output)
        {
            var scale = Scale(input, output);
            var position = halfPixel ? ((o + 0.5) * scale) - 0.5 : o * scale;
            var low = (int)Math.Floor(position);
            var lerp = position - low;
            return (Math.Max(low, 0), Math.Min((int)Math.Ceiling(position), input - 1), lerp);
        }

        var result = new double[n * oh * ow * c];
        for (var b = 0; b < n; b++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                var (y0, y1, ly) = Source(oy, h, oh);
                for (var ox = 0; ox < ow; ox++)
                {
                    var (x0, x1, lx) = Source(ox, w, ow);
                    for (var ch = 0; ch < c; ch++)
                    {
                        double At(int yy, int xx) => x.Data[((((b * h) + yy) * w) + xx) * c + ch];
                        var top = At(y0, x0) + ((At(y0, x1) - At(y0, x0)) * lx);
                        var bottom = At(y1, x0) + ((At(y1, x1) - At(y1, x0)) * lx);
                        result[((((b * oh) + oy) * ow) + ox) * c + ch] = top + ((bottom - top) * ly);
                    }
                }
            }
        }

        return new RefTensor([n, oh, ow, c], result);
    }

    private static RefTensor DepthToSpace(RefTensor x, int block)
    {
        var (n, h, w, c) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var co = c / (block * block);
        var result = new double[x.Count];
        for (var b = 0; b < n; b++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var xx = 0; xx < w; xx++)
                {
                    for (var ch = 0; ch < c; ch++)
                    {
                        var (by, bx, oc) = (ch / (block * co), ch / co % block, ch % co);
                        var (oy, ox) = ((y * block) + by, (xx * block) + bx);
                        result[((((b * h * block) + oy) * w * block) + ox) * co + oc] = x.Data[((((b * h) + y) * w) + xx) * c + ch];
                    }
                }
            }
        }

        return new RefTensor([n, h * block, w * block, co], result);
    }

    private static RefTensor Reduce(RefTensor x, RefTensor axesTensor, bool keepDims, bool max)
    {
        var rank = x.Shape.Length;
        var axes = axesTensor.Data.Select(a => (int)a < 0 ? (int)a + rank : (int)a).ToHashSet();
        var outShape = Enumerable.Range(0, rank).Select(d => axes.Contains(d) ? 1 : x.Shape[d]).ToArray();
        var result = new double[outShape.Aggregate(1, (p, d) => p * d)];
        Array.Fill(result, max ? double.NegativeInfinity : 0);
        var count = x.Count / result.Length;
        var index = new int[rank];
        for (var i = 0; i < x.Count; i++)
        {
            var rem = i;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % x.Shape[d];
                rem /= x.Shape[d];
            }

            var o = 0;
            for (var d = 0; d < rank; d++)
            {
                o = (o * outShape[d]) + (axes.Contains(d) ? 0 : index[d]);
            }

            result[o] = max ? Math.Max(result[o], x.Data[i]) : result[o] + (x.Data[i] / count);
        }

        var shape = keepDims ? outShape : Enumerable.Range(0, rank).Where(d => !axes.Contains(d)).Select(d => x.Shape[d]).ToArray();
        return new RefTensor(shape, result);
    }

    private static RefTensor MatMul(RefTensor a, RefTensor b, bool transposeA, bool transposeB)
    {
        var (n, k) = transposeA ? (a.Shape[1], a.Shape[0]) : (a.Shape[0], a.Shape[1]);
        var m = transposeB ? b.Shape[0] : b.Shape[1];
        var result = new double[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                double sum = 0;
                for (var q = 0; q < k; q++)
                {
                    var av = transposeA ? a.Data[(q * n) + i] : a.Data[(i * k) + q];
                    var bv = transposeB ? b.Data[(j * k) + q] : b.Data[(q * m) + j];
                    sum += av * bv;
                }

                result[(i * m) + j] = sum;
            }
        }

        return new RefTensor([n, m], result);
    }

    // Over the last axis.
    private static RefTensor Softmax(RefTensor x)
    {
        var last = x.Shape[^1];
        var result = new double[x.Count];
        for (var row = 0; row < x.Count / last; row++)
        {
            var values = x.Data.Skip(row * last).Take(last).ToArray();
            var top = values.Max();
            var exps = values.Select(v => Math.Exp(v - top)).ToArray();
            var total = exps.Sum();
            for (var j = 0; j < last; j++)
            {
                result[(row * last) + j] = exps[j] / total;
            }
        }

        return x with { Data = result };
    }
}
