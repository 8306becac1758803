using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>A two-layer tanh network, 2 inputs → 16 hidden units → 1 output, with the mean squared loss over a batch.</summary>
    public static partial class NetworkModel
    {
        /// <summary>The number of hidden units.</summary>
        public const int Hidden = 16;

        /// <summary>
        /// (1/B) Σₛ (w2·tanh(W1·xₛ + b1) + b2 − yₛ)². <paramref name="w1"/> is the 16×2 weight matrix row-major
        /// (unit j reads w1[2j], w1[2j+1]); <paramref name="xs"/> holds the batch's inputs as pairs.
        /// </summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double Loss(
            ReadOnlySpan<double> w1,
            ReadOnlySpan<double> b1,
            ReadOnlySpan<double> w2,
            double b2,
            [NoDiff] ReadOnlySpan<double> xs,
            [NoDiff] ReadOnlySpan<double> ys)
        {
            Span<double> hidden = stackalloc double[Hidden];
            double loss = 0;
            for (int s = 0; s < ys.Length; s++)
            {
                double x0 = xs[2 * s];
                double x1 = xs[2 * s + 1];
                for (int j = 0; j < Hidden; j++)
                {
                    hidden[j] = Math.Tanh(w1[2 * j] * x0 + w1[2 * j + 1] * x1 + b1[j]);
                }

                double output = b2;
                for (int j = 0; j < Hidden; j++)
                {
                    output += w2[j] * hidden[j];
                }

                double r = output - ys[s];
                loss += r * r;
            }

            return loss / ys.Length;
        }

        /// <summary>
        /// Hand-written backpropagation. The loss is a sum over samples, so each sample's backward pass runs right after
        /// its forward pass, reusing the hidden activations it just computed (no tape): with g = 2r/B,
        /// ∂/∂b2 += g, ∂/∂w2ⱼ += g·hⱼ, and with zⱼ's adjoint δⱼ = g·w2ⱼ·(1 − hⱼ²): ∂/∂b1ⱼ += δⱼ, ∂/∂w1ⱼ += δⱼ·x.
        /// </summary>
        public static double LossHandGradient(
            ReadOnlySpan<double> w1,
            ReadOnlySpan<double> b1,
            ReadOnlySpan<double> w2,
            double b2,
            ReadOnlySpan<double> xs,
            ReadOnlySpan<double> ys,
            Span<double> dW1,
            Span<double> dB1,
            Span<double> dW2,
            out double dB2)
        {
            if (dW1.Length != w1.Length || dB1.Length != b1.Length || dW2.Length != w2.Length)
            {
                throw new ArgumentException("Each adjoint must have the length of its parameter.");
            }

            dW1.Clear();
            dB1.Clear();
            dW2.Clear();
            Span<double> hidden = stackalloc double[Hidden];
            double scale = 2.0 / ys.Length;
            double loss = 0;
            double db2 = 0;
            for (int s = 0; s < ys.Length; s++)
            {
                double x0 = xs[2 * s];
                double x1 = xs[2 * s + 1];
                double output = b2;
                for (int j = 0; j < Hidden; j++)
                {
                    double h = Math.Tanh(w1[2 * j] * x0 + w1[2 * j + 1] * x1 + b1[j]);
                    hidden[j] = h;
                    output += w2[j] * h;
                }

                double r = output - ys[s];
                loss += r * r;
                double g = scale * r;
                db2 += g;
                for (int j = 0; j < Hidden; j++)
                {
                    double h = hidden[j];
                    dW2[j] += g * h;
                    double delta = g * w2[j] * (1 - h * h);
                    dB1[j] += delta;
                    dW1[2 * j] += delta * x0;
                    dW1[2 * j + 1] += delta * x1;
                }
            }

            dB2 = db2;
            return loss / ys.Length;
        }
    }

    /// <summary>Benchmarks of <see cref="NetworkModel.Loss"/>; θ = (w1 [32], b1 [16], w2 [16], b2), 65 parameters, batch of 256.</summary>
    [MemoryDiagnoser]
    public class NetworkBenchmarks : IGradientWorkload
    {
        public const int Batch = 256;
        public const int W1 = 0;
        public const int B1 = 2 * NetworkModel.Hidden;
        public const int W2 = B1 + NetworkModel.Hidden;
        public const int B2 = W2 + NetworkModel.Hidden;
        public const int Count = B2 + 1;

        private double[] _theta = Array.Empty<double>();
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _theta;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        /// <summary>The batch's inputs (pairs), for the second-order benchmarks.</summary>
        public double[] Xs => _xs;

        /// <summary>The batch's targets.</summary>
        public double[] Ys => _ys;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(77);
            _theta = new double[Count];
            for (int i = 0; i < Count; i++)
            {
                _theta[i] = random.NextDouble() - 0.5;
            }

            _xs = new double[2 * Batch];
            _ys = new double[Batch];
            for (int s = 0; s < Batch; s++)
            {
                double x0 = -2.0 + 4.0 * random.NextDouble();
                double x1 = -2.0 + 4.0 * random.NextDouble();
                _xs[2 * s] = x0;
                _xs[2 * s + 1] = x1;
                _ys[s] = Math.Sin(x0) * Math.Cos(x1);
            }

            _generated = new double[Count];
            _hand = new double[Count];
            _fd = new double[Count];
        }

        [Benchmark]
        public double Primal() => Evaluate(_theta, _xs, _ys);

        [Benchmark]
        public double Generated()
        {
            ReadOnlySpan<double> t = _theta;
            Span<double> d = _generated;
            double value = NetworkModel.LossGradient(
                t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], _xs, _ys,
                d.Slice(W1, B1 - W1), d.Slice(B1, W2 - B1), d.Slice(W2, B2 - W2), out double dB2);
            d[B2] = dB2;
            return value;
        }

        [Benchmark(Baseline = true)]
        public double HandWritten()
        {
            ReadOnlySpan<double> t = _theta;
            Span<double> d = _hand;
            double value = NetworkModel.LossHandGradient(
                t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], _xs, _ys,
                d.Slice(W1, B1 - W1), d.Slice(B1, W2 - B1), d.Slice(W2, B2 - W2), out double dB2);
            d[B2] = dB2;
            return value;
        }

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = new Objective(_xs, _ys);
            return Infrastructure.FiniteDifferences.Central(ref objective, _theta, _fd);
        }

        private static double Evaluate(ReadOnlySpan<double> t, double[] xs, double[] ys) =>
            NetworkModel.Loss(t.Slice(W1, B1 - W1), t.Slice(B1, W2 - B1), t.Slice(W2, B2 - W2), t[B2], xs, ys);

        private readonly struct Objective : IObjective
        {
            private readonly double[] _xs;
            private readonly double[] _ys;

            public Objective(double[] xs, double[] ys)
            {
                _xs = xs;
                _ys = ys;
            }

            public double Evaluate(ReadOnlySpan<double> p) => NetworkBenchmarks.Evaluate(p, _xs, _ys);
        }
    }
}
