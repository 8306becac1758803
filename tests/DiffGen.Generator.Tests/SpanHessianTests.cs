using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Hessian mode through calls with span arguments: DiffMath's span helpers (hand-written Hessian-vector products)
    /// and a [Differentiable] callee with DiffModes.Hessian. References: H·v from central differences of the generated
    /// gradient, the closed forms, and the symmetry of the Hessian built from H·eᵢ.
    /// </summary>
    public class SpanHessianTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace SpanHessian
            {
                public static partial class M
                {
                    // s·(x·w) + s·LSE(x): both spans and the scalar are differentiable.
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Energy(ReadOnlySpan<double> x, ReadOnlySpan<double> w, double s)
                    {
                        return s * DiffMath.Dot(x, w) + DiffMath.LogSumExp(x) * s;
                    }

                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Cubes(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        for (int i = 0; i < x.Length; i++)
                        {
                            sum += x[i] * x[i] * x[i];
                        }

                        return sum;
                    }

                    // A generated callee with a span parameter, and a helper whose second span is data.
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Outer(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> data, double a)
                    {
                        return a * Cubes(x) + DiffMath.Dot(x, data) * a * a + DiffMath.SoftmaxCrossEntropy(x, 1) + DiffMath.MeanSquaredError(x, data);
                    }

                    public static double EnergyGrad(double[] x, double[] w, double s, double[] dX, double[] dW, out double dS) => EnergyGradient(x, w, s, dX, dW, out dS);

                    public static double EnergyHv(double[] x, double[] w, double s, double[] xDot, double[] wDot, double sDot, double[] dX, double[] dW, double[] hvX, double[] hvW, out double hvS)
                        => EnergyHessianVector(x, w, s, xDot, wDot, sDot, dX, dW, out _, hvX, hvW, out hvS);

                    public static double OuterGrad(double[] x, double[] data, double a, double[] dX, out double dA) => OuterGradient(x, data, a, dX, out dA);

                    public static double OuterHv(double[] x, double[] data, double a, double[] xDot, double aDot, double[] dX, double[] hvX, out double hvA)
                        => OuterHessianVector(x, data, a, xDot, aDot, dX, out _, hvX, out hvA);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static Compiled Model => s_model.Value;

        private const string T = "SpanHessian.M";

        private static readonly double[] s_x = { 0.3, -0.7, 1.1, 0.2 };
        private static readonly double[] s_w = { 1.5, 0.25, -0.5, 2.0 };

        /// <summary>Energy's gradient flattened as (x, w, s).</summary>
        private static double[] EnergyGradient(double[] z)
        {
            int n = s_x.Length;
            var dX = new double[n];
            var dW = new double[n];
            var args = new object?[] { z[..n], z[n..(2 * n)], z[2 * n], dX, dW, 0.0 };
            Model.Method(T, "EnergyGrad").Invoke(null, args);
            return dX.Concat(dW).Append((double)args[5]!).ToArray();
        }

        private static double[] EnergyHv(double[] z, double[] v)
        {
            int n = s_x.Length;
            var hvX = new double[n];
            var hvW = new double[n];
            var args = new object?[] { z[..n], z[n..(2 * n)], z[2 * n], v[..n], v[n..(2 * n)], v[2 * n], new double[n], new double[n], hvX, hvW, 0.0 };
            Model.Method(T, "EnergyHv").Invoke(null, args);
            return hvX.Concat(hvW).Append((double)args[10]!).ToArray();
        }

        private static double[] CentralDifferenceOfGradient(Func<double[], double[]> gradient, double[] z, double[] v)
        {
            const double h = 1e-5;
            var plus = gradient(z.Select((zi, i) => zi + h * v[i]).ToArray());
            var minus = gradient(z.Select((zi, i) => zi - h * v[i]).ToArray());
            return plus.Select((p, i) => (p - minus[i]) / (2 * h)).ToArray();
        }

        [Fact]
        public void Dot_and_LogSumExp_hessian_vector_products_match_differences_of_the_gradient()
        {
            double[] z = s_x.Concat(s_w).Append(0.8).ToArray();
            var random = new Random(5);
            for (int trial = 0; trial < 4; trial++)
            {
                double[] v = z.Select(_ => random.NextDouble() * 2 - 1).ToArray();
                var hv = EnergyHv(z, v);
                var fd = CentralDifferenceOfGradient(EnergyGradient, z, v);
                for (int i = 0; i < z.Length; i++)
                {
                    Numeric.Close(fd[i], hv[i], 1e-7 * (1 + Math.Abs(fd[i])), $"(H·v)[{i}]");
                }
            }
        }

        [Fact]
        public void Dot_and_LogSumExp_hessian_has_its_closed_form_and_is_symmetric()
        {
            int n = s_x.Length;
            double s = 0.8;
            double[] z = s_x.Concat(s_w).Append(s).ToArray();
            int m = z.Length;
            var hessian = new double[m, m];
            for (int j = 0; j < m; j++)
            {
                var e = new double[m];
                e[j] = 1;
                var column = EnergyHv(z, e);
                for (int i = 0; i < m; i++)
                {
                    hessian[i, j] = column[i];
                }
            }

            // p = softmax(x): ∂²/∂x∂x = s·(diag p − p pᵀ), ∂²/∂x∂w = s·I, ∂²/∂x∂s = w + p, ∂²/∂w∂s = x, ∂²/∂w∂w = 0, ∂²/∂s² = 0.
            double max = s_x.Max();
            var p = s_x.Select(x => Math.Exp(x - max)).ToArray();
            double sum = p.Sum();
            p = p.Select(q => q / sum).ToArray();
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double expected =
                        i < n && j < n ? s * ((i == j ? p[i] : 0) - p[i] * p[j])
                        : i < n && j >= n && j < 2 * n ? (j - n == i ? s : 0)
                        : j < n && i >= n && i < 2 * n ? (i - n == j ? s : 0)
                        : i < n && j == 2 * n ? s_w[i] + p[i]
                        : j < n && i == 2 * n ? s_w[j] + p[j]
                        : i >= n && i < 2 * n && j == 2 * n ? s_x[i - n]
                        : j >= n && j < 2 * n && i == 2 * n ? s_x[j - n]
                        : 0;
                    Numeric.Exact(expected, hessian[i, j], $"H[{i},{j}]");
                }
            }
        }

        [Fact]
        public void Generated_callee_with_a_span_parameter_and_helpers_on_data()
        {
            double[] data = { 0.5, -1.0, 0.25, 1.5 };
            int n = s_x.Length;
            Func<double[], double[]> gradient = z =>
            {
                var dX = new double[n];
                var args = new object?[] { z[..n], data, z[n], dX, 0.0 };
                Model.Method(T, "OuterGrad").Invoke(null, args);
                return dX.Append((double)args[4]!).ToArray();
            };
            double[] point = s_x.Append(1.3).ToArray();
            var random = new Random(11);
            for (int trial = 0; trial < 4; trial++)
            {
                double[] v = point.Select(_ => random.NextDouble() * 2 - 1).ToArray();
                var hvX = new double[n];
                var dXOut = new double[n];
                var args = new object?[] { point[..n], data, point[n], v[..n], v[n], dXOut, hvX, 0.0 };
                Model.Method(T, "OuterHv").Invoke(null, args);
                var hv = hvX.Append((double)args[7]!).ToArray();
                var fd = CentralDifferenceOfGradient(gradient, point, v);
                for (int i = 0; i < point.Length; i++)
                {
                    Numeric.Close(fd[i], hv[i], 1e-7 * (1 + Math.Abs(fd[i])), $"(H·v)[{i}]");
                }

                var g = gradient(point);
                for (int i = 0; i < n; i++)
                {
                    Numeric.Exact(g[i], dXOut[i], $"gradient from FHessianVector [{i}]");
                }
            }
        }
    }
}
