using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>The scalar least-squares loss (w·x + b − y)², the example of the README.</summary>
    public static partial class LeastSquaresModel
    {
        /// <summary>(w·x + b − y)².</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
        {
            double residual = w * x + b - y;
            return residual * residual;
        }

        /// <summary>Hand-written: ∂/∂w = 2r·x, ∂/∂b = 2r with r = w·x + b − y.</summary>
        public static double LossHandGradient(double w, double b, double x, double y, out double dW, out double dB)
        {
            double residual = w * x + b - y;
            double twoResidual = 2.0 * residual;
            dW = twoResidual * x;
            dB = twoResidual;
            return residual * residual;
        }
    }

    /// <summary>
    /// Benchmarks of <see cref="LeastSquaresModel.Loss"/>; θ = (w, b). One call costs about a nanosecond, below what
    /// BenchmarkDotNet can resolve, so each benchmark invocation makes <see cref="Points"/> calls, one per data point
    /// (x, y), and reports the time per call (OperationsPerInvoke). The value and gradient are summed over the points:
    /// the gradient of Σᵢ (w·xᵢ + b − yᵢ)².
    /// </summary>
    [MemoryDiagnoser]
    public class LeastSquaresBenchmarks : IGradientWorkload
    {
        public const int Points = 1024;

        private double[] _theta = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();
        private double[] _xs = Array.Empty<double>();
        private double[] _ys = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _theta;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        /// <summary>The data points (x, y), for the tests.</summary>
        public ReadOnlySpan<double> Xs => _xs;

        /// <summary>The data points' targets.</summary>
        public ReadOnlySpan<double> Ys => _ys;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(11);
            _theta = new[] { 0.75, -0.3 };
            _xs = new double[Points];
            _ys = new double[Points];
            for (int i = 0; i < Points; i++)
            {
                _xs[i] = -2.0 + 4.0 * random.NextDouble();
                _ys[i] = 1.3 * _xs[i] + 0.4 + 0.2 * (random.NextDouble() - 0.5);
            }

            _generated = new double[2];
            _hand = new double[2];
            _fd = new double[2];
        }

        [Benchmark(OperationsPerInvoke = Points)]
        public double Primal() => Evaluate(_theta[0], _theta[1], _xs, _ys);

        [Benchmark(OperationsPerInvoke = Points)]
        public double Generated()
        {
            double w = _theta[0];
            double b = _theta[1];
            double[] xs = _xs;
            double[] ys = _ys;
            double value = 0;
            double sumW = 0;
            double sumB = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.LossGradient(w, b, xs[i], ys[i], out double dW, out double dB);
                sumW += dW;
                sumB += dB;
            }

            _generated[0] = sumW;
            _generated[1] = sumB;
            return value;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
        public double HandWritten()
        {
            double w = _theta[0];
            double b = _theta[1];
            double[] xs = _xs;
            double[] ys = _ys;
            double value = 0;
            double sumW = 0;
            double sumB = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.LossHandGradient(w, b, xs[i], ys[i], out double dW, out double dB);
                sumW += dW;
                sumB += dB;
            }

            _hand[0] = sumW;
            _hand[1] = sumB;
            return value;
        }

        [Benchmark(OperationsPerInvoke = Points)]
        public double FiniteDifferences()
        {
            var objective = new Objective(_xs, _ys);
            return Infrastructure.FiniteDifferences.Central(ref objective, _theta, _fd);
        }

        private static double Evaluate(double w, double b, double[] xs, double[] ys)
        {
            double value = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                value += LeastSquaresModel.Loss(w, b, xs[i], ys[i]);
            }

            return value;
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

            public double Evaluate(ReadOnlySpan<double> p) => LeastSquaresBenchmarks.Evaluate(p[0], p[1], _xs, _ys);
        }
    }
}
