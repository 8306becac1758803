using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>Least-squares fit of a polynomial (degree 5: six coefficients) over a data set of 10 000 points.</summary>
    public static partial class PolynomialFitModel
    {
        /// <summary>(1/m) Σᵢ (p(xᵢ) − yᵢ)² with p(x) = Σₖ cₖxᵏ evaluated by Horner's rule.</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double Loss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
        {
            double sum = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i];
                double p = c[c.Length - 1];
                for (int k = c.Length - 2; k >= 0; k--)
                {
                    p = p * x + c[k];
                }

                double r = p - ys[i];
                sum += r * r;
            }

            return sum / xs.Length;
        }

        /// <summary>Hand-written: ∂/∂cₖ = (2/m) Σᵢ rᵢ·xᵢᵏ, the powers built up by multiplication while the residual is fresh.</summary>
        public static double LossHandGradient(ReadOnlySpan<double> c, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Span<double> dC)
        {
            if (dC.Length != c.Length)
            {
                throw new ArgumentException("dC must have the length of c.", nameof(dC));
            }

            dC.Clear();
            int last = c.Length - 1;
            double scale = 2.0 / xs.Length;
            double sum = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i];
                double p = c[last];
                for (int k = last - 1; k >= 0; k--)
                {
                    p = p * x + c[k];
                }

                double r = p - ys[i];
                sum += r * r;
                double g = scale * r;
                for (int k = 0; k <= last; k++)
                {
                    dC[k] += g;
                    g *= x;
                }
            }

            return sum / xs.Length;
        }
    }

    /// <summary>Benchmarks of <see cref="PolynomialFitModel.Loss"/>; θ = c (6 coefficients), 10 000 data points.</summary>
    [MemoryDiagnoser]
    public class PolynomialFitBenchmarks : IGradientWorkload
    {
        public const int Degree = 5;
        public const int Points = 10_000;

        private double[] _c = Array.Empty<double>();
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _c;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        /// <summary>The data points, for the second-order benchmarks.</summary>
        public double[] Xs => _xs;

        /// <summary>The data points' targets.</summary>
        public double[] Ys => _ys;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(2024);
            _xs = new double[Points];
            _ys = new double[Points];
            for (int i = 0; i < Points; i++)
            {
                double x = -1.0 + 2.0 * random.NextDouble();
                _xs[i] = x;
                _ys[i] = Math.Sin(3.0 * x) + 0.1 * (random.NextDouble() - 0.5);
            }

            _c = new[] { 0.1, 2.5, -0.2, -3.0, 0.05, 1.2 };
            _generated = new double[Degree + 1];
            _hand = new double[Degree + 1];
            _fd = new double[Degree + 1];
        }

        [Benchmark]
        public double Primal() => PolynomialFitModel.Loss(_c, _xs, _ys);

        [Benchmark]
        public double Generated() => PolynomialFitModel.LossGradient(_c, _xs, _ys, _generated);

        [Benchmark(Baseline = true)]
        public double HandWritten() => PolynomialFitModel.LossHandGradient(_c, _xs, _ys, _hand);

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = new Objective(_xs, _ys);
            return Infrastructure.FiniteDifferences.Central(ref objective, _c, _fd);
        }

        private readonly struct Objective : IObjective
        {
            private readonly double[] _xs;
            private readonly double[] _ys;

            public Objective(double[] xs, double[] ys)
            {
                _xs = xs;
                _ys = ys;
            }

            public double Evaluate(ReadOnlySpan<double> p) => PolynomialFitModel.Loss(p, _xs, _ys);
        }
    }
}
