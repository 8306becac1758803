using System;
using System.Reflection;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>Forward mode, Hessian-vector products and Hessians (issue 8), against closed forms and finite differences.</summary>
    public class SecondOrderTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            public static partial class Second
            {
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Mixed(double a, double b, [NoDiff] double k)
                {
                    double s = Math.Sin(a * b) + Math.Exp(a / 3) * Math.Log(b);
                    if (a > b) s += Math.Pow(a, 3) * k;
                    else s -= Math.Sqrt(b) * Math.Tanh(a);
                    return s * s + Math.Atan2(a, b);
                }

                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Quadratic(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> a)
                {
                    // ½ xᵀ A x with A = a (n×n, row-major): H = (A + Aᵀ)/2.
                    int n = x.Length;
                    double s = 0;
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++)
                            s += 0.5 * x[i] * a[i * n + j] * x[j];
                    return s;
                }

                public static double QuadraticHv(double[] x, double[] a, double[] v, double[] g, double[] hv) => QuadraticHessianVector(x, a, v, g, hv);
                public static double QuadraticGrad(double[] x, double[] a, double[] g) => QuadraticGradient(x, a, g);
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Load(Source));

        private static MethodInfo Method(string name) => s_assembly.Value.GetType("Second")!.GetMethod(name)!;

        private static double Rosen(double x, double y) => (double)Method("Rosenbrock").Invoke(null, new object[] { x, y })!;

        [Theory]
        [InlineData(-1.2, 1.0)]
        [InlineData(0.3, -0.7)]
        [InlineData(1.0, 1.0)]
        public void RosenbrockHessianMatchesClosedForm(double x, double y)
        {
            var hessian = new double[4];
            var m = s_assembly.Value.GetType("Second")!.GetMethod("RosenbrockHessian")!;
            // Span parameters cannot go through reflection: call through the HessianVector method instead.
            var hv = s_assembly.Value.GetType("Second")!.GetMethod("RosenbrockHessianVector")!;
            for (int j = 0; j < 2; j++)
            {
                var args = new object[] { x, y, j == 0 ? 1.0 : 0.0, j == 1 ? 1.0 : 0.0, 0.0, 0.0, 0.0, 0.0 };
                double value = (double)hv.Invoke(null, args)!;
                Assert.Equal(Rosen(x, y), value, 12);
                hessian[j] = (double)args[6];
                hessian[2 + j] = (double)args[7];
                // Gradient outputs agree with the closed form.
                Assert.Equal(-2 * (1 - x) - 400 * x * (y - x * x), (double)args[4], 9);
                Assert.Equal(200 * (y - x * x), (double)args[5], 9);
            }

            Assert.NotNull(m);
            Assert.Equal(2 - 400 * (y - x * x) + 800 * x * x, hessian[0], 8);
            Assert.Equal(-400 * x, hessian[1], 8);
            Assert.Equal(-400 * x, hessian[2], 8);
            Assert.Equal(200, hessian[3], 8);
        }

        [Theory]
        [InlineData(0.7, 1.3, 0.4, -0.2)]
        [InlineData(1.9, 0.6, -1.0, 2.0)]
        public void TangentEqualsGradientDotDirection(double a, double b, double va, double vb)
        {
            var type = s_assembly.Value.GetType("Second")!;
            var gradArgs = new object[] { a, b, 2.5, 0.0, 0.0 };
            double value = (double)type.GetMethod("MixedGradient")!.Invoke(null, gradArgs)!;
            var tanArgs = new object[] { a, b, 2.5, va, vb, 0.0 };
            double tanValue = (double)type.GetMethod("MixedTangent")!.Invoke(null, tanArgs)!;
            Assert.Equal(value, tanValue, 14);
            double expected = (double)gradArgs[3] * va + (double)gradArgs[4] * vb;
            Assert.Equal(expected, (double)tanArgs[5], 10);

            // And against central differences of the function along v.
            var f = type.GetMethod("Mixed")!;
            double h = 1e-6;
            double fd = ((double)f.Invoke(null, new object[] { a + h * va, b + h * vb, 2.5 })! - (double)f.Invoke(null, new object[] { a - h * va, b - h * vb, 2.5 })!) / (2 * h);
            Assert.Equal(fd, (double)tanArgs[5], 5);
        }

        [Theory]
        [InlineData(0.7, 1.3, 0.4, -0.2)]
        [InlineData(1.9, 0.6, -1.0, 2.0)]
        public void HessianVectorMatchesFiniteDifferencesOfTheGradient(double a, double b, double va, double vb)
        {
            var type = s_assembly.Value.GetType("Second")!;
            (double, double) Grad(double p, double q)
            {
                var args = new object[] { p, q, 2.5, 0.0, 0.0 };
                type.GetMethod("MixedGradient")!.Invoke(null, args);
                return ((double)args[3], (double)args[4]);
            }

            var hvArgs = new object[] { a, b, 2.5, va, vb, 0.0, 0.0, 0.0, 0.0 };
            type.GetMethod("MixedHessianVector")!.Invoke(null, hvArgs);
            var g = Grad(a, b);
            Assert.Equal(g.Item1, (double)hvArgs[5], 12);
            Assert.Equal(g.Item2, (double)hvArgs[6], 12);

            // H·v ≈ (∇f(x + h v) − ∇f(x − h v)) / 2h: finite differences of the generated gradient, step chosen for ~1e-6 accuracy.
            double h = 1e-5;
            var plus = Grad(a + h * va, b + h * vb);
            var minus = Grad(a - h * va, b - h * vb);
            Assert.Equal((plus.Item1 - minus.Item1) / (2 * h), (double)hvArgs[7], 4);
            Assert.Equal((plus.Item2 - minus.Item2) / (2 * h), (double)hvArgs[8], 4);
        }

        [Fact]
        public void QuadraticFormHessianVectorIsSymmetrisedMatrixTimesV()
        {
            var type = s_assembly.Value.GetType("Second")!;
            double[] a = { 2, 1, 0, -3, 4, 1, 0.5, 0, 5 };
            double[] x = { 0.3, -1.1, 2.0 };
            double[] v = { 1.0, 0.5, -2.0 };
            var g = new double[3];
            var hv = new double[3];
            type.GetMethod("QuadraticHv")!.Invoke(null, new object[] { x, a, v, g, hv });
            for (int i = 0; i < 3; i++)
            {
                double expectedHv = 0, expectedG = 0;
                for (int j = 0; j < 3; j++)
                {
                    double sym = 0.5 * (a[i * 3 + j] + a[j * 3 + i]);
                    expectedHv += sym * v[j];
                    expectedG += sym * x[j];
                }

                Assert.Equal(expectedHv, hv[i], 12);
                Assert.Equal(expectedG, g[i], 12);
            }
        }

        [Fact]
        public void NewtonWithTheGeneratedHessianConvergesInAHandfulOfStepsWhereGradientDescentDoesNot()
        {
            var type = s_assembly.Value.GetType("Second")!;
            var hvMethod = type.GetMethod("RosenbrockHessianVector")!;
            double x = -1.2, y = 1.0;
            int newtonSteps = 0;
            for (; newtonSteps < 50; newtonSteps++)
            {
                var c0 = new object[] { x, y, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
                var c1 = new object[] { x, y, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0 };
                hvMethod.Invoke(null, c0);
                hvMethod.Invoke(null, c1);
                double gx = (double)c0[4], gy = (double)c0[5];
                if (Math.Sqrt(gx * gx + gy * gy) < 1e-10)
                {
                    break;
                }

                double h00 = (double)c0[6], h10 = (double)c0[7], h01 = (double)c1[6], h11 = (double)c1[7];
                double det = h00 * h11 - h01 * h10;
                x -= (h11 * gx - h01 * gy) / det;
                y -= (-h10 * gx + h00 * gy) / det;
            }

            Assert.Equal(1.0, x, 8);
            Assert.Equal(1.0, y, 8);
            Assert.True(newtonSteps <= 10, $"Newton took {newtonSteps} steps");

            // Gradient descent with a stable step makes little progress in the same number of steps.
            double gx2 = -1.2, gy2 = 1.0;
            for (int i = 0; i < 10; i++)
            {
                var args = new object[] { gx2, gy2, 0.0, 0.0 };
                type.GetMethod("RosenbrockGradient")!.Invoke(null, args);
                gx2 -= 1e-3 * (double)args[2];
                gy2 -= 1e-3 * (double)args[3];
            }

            Assert.True(Math.Abs(gx2 - 1) > 0.5, "gradient descent should still be far from the minimum");
        }
    }
}
