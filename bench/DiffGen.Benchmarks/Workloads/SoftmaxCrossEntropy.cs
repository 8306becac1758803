using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>Numerically stable softmax cross-entropy over 1 000 classes: log Σ exp(zᵢ − max) + max − z_label.</summary>
    public static partial class SoftmaxModel
    {
        /// <summary>−log softmax(z)[label], with the maximum subtracted before exponentiating (log-sum-exp).</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double CrossEntropy(ReadOnlySpan<double> logits, int label)
        {
            double max = logits[0];
            for (int i = 1; i < logits.Length; i++)
            {
                max = Math.Max(max, logits[i]);
            }

            double sum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                sum += Math.Exp(logits[i] - max);
            }

            return Math.Log(sum) + max - logits[label];
        }

        /// <summary>
        /// Hand-written: ∂/∂zᵢ = softmax(z)ᵢ − [i = label]. The exponentials of the forward pass are stored straight
        /// into dLogits and scaled by 1/Σ afterwards, so no exponential is computed twice. (The maximum's own
        /// derivative is 1 − Σ softmax = 0 and is left out.)
        /// </summary>
        public static double CrossEntropyHandGradient(ReadOnlySpan<double> logits, int label, Span<double> dLogits)
        {
            if (dLogits.Length != logits.Length)
            {
                throw new ArgumentException("dLogits must have the length of logits.", nameof(dLogits));
            }

            double max = logits[0];
            for (int i = 1; i < logits.Length; i++)
            {
                max = Math.Max(max, logits[i]);
            }

            double sum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                double e = Math.Exp(logits[i] - max);
                dLogits[i] = e;
                sum += e;
            }

            double inverse = 1.0 / sum;
            for (int i = 0; i < dLogits.Length; i++)
            {
                dLogits[i] *= inverse;
            }

            dLogits[label] -= 1.0;
            return Math.Log(sum) + max - logits[label];
        }
    }

    /// <summary>Benchmarks of <see cref="SoftmaxModel.CrossEntropy"/>; θ = the 1 000 logits.</summary>
    [MemoryDiagnoser]
    public class SoftmaxCrossEntropyBenchmarks : IGradientWorkload
    {
        public const int Classes = 1000;
        public const int Label = 417;

        private double[] _logits = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _logits;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(99);
            _logits = new double[Classes];
            for (int i = 0; i < Classes; i++)
            {
                _logits[i] = 4.0 * (random.NextDouble() - 0.5);
            }

            _logits[Label] += 3.0;
            _generated = new double[Classes];
            _hand = new double[Classes];
            _fd = new double[Classes];
        }

        [Benchmark]
        public double Primal() => SoftmaxModel.CrossEntropy(_logits, Label);

        [Benchmark]
        public double Generated() => SoftmaxModel.CrossEntropyGradient(_logits, Label, _generated);

        [Benchmark(Baseline = true)]
        public double HandWritten() => SoftmaxModel.CrossEntropyHandGradient(_logits, Label, _hand);

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = default(Objective);
            return Infrastructure.FiniteDifferences.Central(ref objective, _logits, _fd);
        }

        private readonly struct Objective : IObjective
        {
            public double Evaluate(ReadOnlySpan<double> p) => SoftmaxModel.CrossEntropy(p, Label);
        }
    }
}
