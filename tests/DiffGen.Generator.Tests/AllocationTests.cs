using System;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Issue 3: "a gradient call allocates nothing on the managed heap in steady state". The measuring loop is
    /// compiled into the test program next to the models (reflection would allocate by itself): it warms up, then
    /// reads <see cref="GC.GetAllocatedBytesForCurrentThread"/> around repeated Gradient calls on preallocated
    /// arrays and returns the difference. Anything above zero is a real per-call allocation.
    /// </summary>
    public class AllocationTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Alloc
            {
                public static partial class Models
                {
                    public const int Hidden = 16;

                    [Differentiable]
                    public static double NetLoss(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2,
                        [NoDiff] ReadOnlySpan<double> x, [NoDiff] double target)
                    {
                        double[] h = new double[Hidden];
                        for (int j = 0; j < Hidden; j++)
                        {
                            double a = b1[j];
                            for (int i = 0; i < 2; i++)
                            {
                                a += w1[j * 2 + i] * x[i];
                            }

                            h[j] = Math.Tanh(a);
                        }

                        double y = b2;
                        for (int j = 0; j < Hidden; j++)
                        {
                            y += w2[j] * h[j];
                        }

                        double e = y - target;
                        return 0.5 * e * e;
                    }

                    [Differentiable]
                    public static double Landing(double speed, double angle, double drag)
                    {
                        double x = 0.0, y = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        double landing = 0.0;
                        bool landed = false;
                        for (int step = 0; step < 1000; step++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            double xNext = x + 0.005 * vx;
                            double yNext = y + 0.005 * vy;
                            if (!landed && yNext < 0.0)
                            {
                                landing = x + (xNext - x) * y / (y - yNext);
                                landed = true;
                            }

                            x = xNext;
                            y = yNext;
                            vx -= 0.005 * drag * v * vx;
                            vy -= 0.005 * (9.81 + drag * v * vy);
                        }

                        return landing;
                    }

                    [Differentiable]
                    public static double LandingWithReturn(double speed, double angle, double drag)
                    {
                        double x = 0.0, y = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        for (int step = 0; step < 1000; step++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            double xNext = x + 0.005 * vx;
                            double yNext = y + 0.005 * vy;
                            if (yNext < 0.0)
                            {
                                return x + (xNext - x) * y / (y - yNext);
                            }

                            x = xNext;
                            y = yNext;
                            vx -= 0.005 * drag * v * vx;
                            vy -= 0.005 * (9.81 + drag * v * vy);
                        }

                        return x;
                    }

                    [Differentiable]
                    public static double PolyLoss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
                    {
                        double total = 0.0;
                        for (int i = 0; i < xs.Length; i++)
                        {
                            double p = 0.0;
                            double xPow = 1.0;
                            for (int k = 0; k < c.Length; k++)
                            {
                                p += c[k] * xPow;
                                xPow *= xs[i];
                            }

                            double r = p - ys[i];
                            total += r * r;
                        }

                        return total / xs.Length;
                    }

                    [Differentiable]
                    public static double Buffers(ReadOnlySpan<double> w, [NoDiff] int n)
                    {
                        double[] big = new double[n];
                        double[,] m = new double[2, n];
                        for (int i = 0; i < n; i++)
                        {
                            big[i] = w[i % w.Length] * i;
                            m[i % 2, i] = Math.Sin(big[i]);
                        }

                        double s = 0.0;
                        for (int i = 0; i < n; i++)
                        {
                            s += big[i] * m[i % 2, i];
                        }

                        return s;
                    }
                }

                public static class Measure
                {
                    private const int WarmUp = 3;
                    private const int Calls = 20;

                    public static long Network()
                    {
                        var w1 = new double[32];
                        var b1 = new double[16];
                        var w2 = new double[16];
                        var dW1 = new double[32];
                        var dB1 = new double[16];
                        var dW2 = new double[16];
                        var x = new[] { 0.3, -0.7 };
                        for (int i = 0; i < 32; i++) w1[i] = 0.1 * (i % 7) - 0.3;
                        for (int i = 0; i < 16; i++) { b1[i] = 0.05 * i; w2[i] = 0.2 - 0.03 * i; }
                        double sink = 0;
                        for (int k = 0; k < WarmUp; k++) sink += Models.NetLossGradient(w1, b1, w2, 0.1, x, 0.5, dW1, dB1, dW2, out _);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int k = 0; k < Calls; k++) sink += Models.NetLossGradient(w1, b1, w2, 0.1, x, 0.5, dW1, dB1, dW2, out _);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        return double.IsNaN(sink) ? -1 : allocated;
                    }

                    public static long Euler(bool withReturn)
                    {
                        double sink = 0;
                        for (int k = 0; k < WarmUp; k++) sink += Call(withReturn);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int k = 0; k < Calls; k++) sink += Call(withReturn);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        return double.IsNaN(sink) ? -1 : allocated;
                    }

                    private static double Call(bool withReturn) => withReturn
                        ? Models.LandingWithReturnGradient(20.0, 0.7, 0.01, out _, out _, out _)
                        : Models.LandingGradient(20.0, 0.7, 0.01, out _, out _, out _);

                    public static long Polynomial()
                    {
                        var xs = new double[200];
                        var ys = new double[200];
                        for (int i = 0; i < 200; i++) { xs[i] = i / 100.0 - 1; ys[i] = xs[i] * xs[i]; }
                        var c = new[] { 0.1, 0.2, 0.3, 0.4 };
                        var dC = new double[4];
                        double sink = 0;
                        for (int k = 0; k < WarmUp; k++) sink += Models.PolyLossGradient(c, xs, ys, dC);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int k = 0; k < Calls; k++) sink += Models.PolyLossGradient(c, xs, ys, dC);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        return double.IsNaN(sink) ? -1 : allocated;
                    }

                    public static long LocalBuffers(int n)
                    {
                        var w = new[] { 0.5, -1.0, 2.0 };
                        var dW = new double[3];
                        double sink = 0;
                        for (int k = 0; k < WarmUp; k++) sink += Models.BuffersGradient(w, n, dW);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int k = 0; k < Calls; k++) sink += Models.BuffersGradient(w, n, dW);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        return double.IsNaN(sink) ? -1 : allocated;
                    }
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static long Run(string method, params object[] args) => (long)s_model.Value.Invoke("Alloc.Measure", method, args)!;

        [Fact]
        public void Network_gradient_allocates_nothing_in_steady_state() => Assert.Equal(0L, Run("Network"));

        [Fact]
        public void Euler_integrator_gradient_allocates_nothing_in_steady_state() => Assert.Equal(0L, Run("Euler", false));

        [Fact]
        public void Euler_integrator_with_return_in_the_loop_allocates_nothing_in_steady_state() => Assert.Equal(0L, Run("Euler", true));

        [Fact]
        public void Polynomial_fit_gradient_allocates_nothing_in_steady_state() => Assert.Equal(0L, Run("Polynomial"));

        [Theory]
        [InlineData(8)]
        [InlineData(5000)]
        public void Local_buffers_small_and_large_allocate_nothing_in_steady_state(int n) => Assert.Equal(0L, Run("LocalBuffers", n));

        [Fact]
        public void The_measurement_sees_an_allocation_when_there_is_one()
        {
            // Guard against a measuring loop that can never fail: the same pattern around a `new` reports bytes.
            long before = GC.GetAllocatedBytesForCurrentThread();
            var array = new double[100];
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(array);
            Assert.True(allocated >= 800, $"allocated {allocated}");
        }
    }
}
