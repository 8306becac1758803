namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// Minimal repros of generator failures found by the fuzzer (shrunk by <see cref="Campaign.Shrink"/>, then tidied by
    /// hand). Each must pass the oracle of <see cref="FuzzOracle"/>: no exception, no CS8785, precise diagnostics, no code
    /// for a method with a DG error, and generated code that compiles without errors or warnings.
    /// </summary>
    internal static class FuzzRegressions
    {
        public static readonly (string Name, string Source)[] Cases =
        {
            (
                "a local function of top-level statements placed after a type (CS8803) bound without an error from the type's method, and the generated code called Program.Helper32 as a member (CS0117; fuzz seed 20261205, case 7244)",
                """
                using DiffGen;
                partial class GlobalModel
                {
                    static readonly double Epsilon;
                    [Differentiable]
                    static double Trig(double a, double b, [NoDiff] int n)
                    {
                        double acc = 0;
                        acc = Helper32(acc);
                        for (int i = 0; i < n; ++i)
                            acc /= +Epsilon;
                    }
                }
                static double Helper32(double
                """
            ),
            (
                "a constant field named like a keyword (@double) was printed without its '@' in generated code (CS1001, CS0214)",
                """
                using DiffGen;
                class Settings
                {
                    public const double @double = 0.75;
                    public static readonly double Scale = 2.0;
                }
                partial class G
                {
                    [Differentiable] static double Fields(double x) => Settings.@double * x + Settings.Scale * x * x;
                }
                """
            ),
            (
                "an array creation with neither a size nor an initializer (CS1586) threw IndexOutOfRangeException in ForwardAlloc",
                """
                using System;
                using DiffGen;
                public static partial class TwoLayer
                {
                    private const int Hidden = 16;
                    [Differentiable]
                    public static double Loss(double[] b1, double[] w2, double b2)
                    {
                        var h = new double[];
                        for (int j = 0; j < Hidden; j++)
                        {
                            h[j] = Math.Tanh(b1[j]);
                        }

                        double output = b2;
                        for (int j = 0; j < Hidden; j++)
                        {
                            output += w2[j] * h[j];
                        }

                        return output * output;
                    }
                }
                """
            ),
            (
                "a callee whose [NoDiff] parameter has no name yet: DG0018 named an empty parameter",
                """
                using DiffGen;
                public static partial class M
                {
                    static double G([NoDiff] double ) => 1.0;
                    [Differentiable] public static double F(double x) => G(x) * 2;
                }
                """
            ),
            (
                "a callee and a pullback named like a keyword (@double) were printed without their '@' (CS1002)",
                """
                using DiffGen;
                public static partial class M
                {
                    public static double @double(double x) => x;
                    [DerivativeOf(nameof(@double))] public static double @int(double x, double seed, ref double dX) { dX += seed; return x; }
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)] public static double F(double x) => x * @double(x);
                }
                """
            ),
            (
                "parameters and locals named like keywords: derived names (adjoints, tangents) must be identifiers (CS0118, CS1525)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                    public static double F(double @double, ReadOnlySpan<double> @in)
                    {
                        double @int = 0.0;
                        for (int i = 0; i < @in.Length; i++)
                        {
                            if (@in[i] < 0.0) { @int += @double * @in[i]; }
                            @int = @int * @double;
                        }

                        return @int;
                    }
                }
                """
            ),
            (
                "a half-typed generic pullback was registered and its generated call could not infer type arguments (CS0411)",
                """
                using DiffGen;
                public static partial class M
                {
                    public static double G(double x) => x;
                    [DerivativeOf(nameof(G))] public static double GBackward<T>(double x, double seed, ref double dX) { dX += seed; return x; }
                    [Differentiable] public static double F(double x) => G(x) * x;
                }
                """
            ),
            (
                "a type named System hides the framework namespace from the generated file (CS0138, CS0426)",
                """
                using DiffGen;
                public static partial class System
                {
                    [Differentiable] public static double Score(double w, [NoDiff] double[][] rows) => w * rows[0][0];
                }
                """
            ),
            (
                "an endless loop and no return: the generated return of the unassigned result did not compile (CS0103)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        for (;;)
                        {
                        }
                    }
                }
                """
            ),
            (
                "a method named Math in the enclosing type hides System.Math in the generated code (CS0119)",
                """
                using System;
                using DiffGen;
                public static partial class C
                {
                    public static double Math(double x, bool b, int k) => x;
                    [Differentiable] public static double F(double x) => System.Math.Sin(x) * x;
                }
                """
            ),
            (
                "a caller of a caller of a method with a call-resolution error (DG0008) calls a Backward that is never generated (CS0117)",
                """
                using DiffGen;
                public static partial class M
                {
                    public static double Inner(double x, double y) => x * y;
                    [Differentiable] public static double Mid(double x, double y) => Inner(x * y, y) + x;
                    [Differentiable] public static double Top(double x, double y) => Mid(x, y);
                }
                """
            ),
            (
                "Hessian mode with a loop after an early return: the seed is never read (CS0219)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                    public static double F(ReadOnlySpan<double> x)
                    {
                        int n = x.Length;
                        double s = 0;
                        return s;
                        for (int i = 0; i < n; i++) { s += x[i] * x[i]; }
                    }
                }
                """
            ),
            (
                "a method left outside any type while typing (a missing ';' above it) is generated into a file with no type (CS0106, CS8805)",
                """
                using DiffGen
                [Differentiable] static double G(double x) => x * x;
                public static partial class M
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """
            ),
            (
                "overloaded [Differentiable] methods share the hint name Type.Method.g.cs (ArgumentException, CS8785)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x) => x * x;
                    [Differentiable] public static double F(double x, double y) => x * y;
                }
                """
            ),
            (
                "a generic and a non-generic type of the same name share the hint name (ArgumentException, CS8785)",
                """
                using DiffGen;
                public static partial class M { [Differentiable] public static double F(double x) => x * x; }
                public static partial class M<T> { [Differentiable] public static double F(double x) => x * x; }
                """
            ),
            (
                "typing a parameter list: F(double (IndexOutOfRangeException in SignatureReader.AdjointName)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double
                }
                """
            ),
            (
                "a parameter without a name: F(double) (IndexOutOfRangeException in SignatureReader.AdjointName)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double) => 0;
                }
                """
            ),
            (
                "Math.PI is emitted as PI (CS0103 in generated code)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x) => x * Math.PI;
                }
                """
            ),
            (
                "a const and a static readonly field of another type are emitted unqualified (CS0103 in generated code)",
                """
                using DiffGen;
                namespace Flow
                {
                    public static class Settings
                    {
                        public const double Offset = 0.75;
                        public static readonly double Scale = 2;
                    }

                    public static partial class G
                    {
                        [Differentiable] public static double Fields(double x) => Settings.Offset * x * x + Settings.Scale * x;
                    }
                }
                """
            ),
            (
                "the derivative of Math.ScaleB(x, n) passes n as a double (CS1503 in generated code)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double a) => Math.ScaleB(a, 2);
                }
                """
            ),
            (
                "a do/while with a branch inside a for: 'condition' declared twice in the reverse sweep (CS0136)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double Max(ReadOnlySpan<double> v)
                    {
                        double max = v[0];
                        for (int i = 1; i < v.Length; i++)
                        {
                            do { if (v[i] > max) { max = v[i]; } } while (false);
                        }

                        return max;
                    }
                }
                """
            ),
            (
                "a do/while whose condition needs a temp: the temp is declared twice in the reverse sweep (CS0136)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static float Cube(float x)
                    {
                        float y = x;
                        do
                        {
                            y = y * 0.5f + x / (y * y) * 0.5f;
                        }
                        while (MathF.Abs(y * y * y - x) > 1e-4f);
                        return y;
                    }
                }
                """
            ),
            (
                "a local matrix whose row count is never needed: 'mRows' assigned but never used (warning CS0219)",
                """
                using DiffGen;
                public static partial class Q
                {
                    [Differentiable]
                    public static double Form(double[,] a)
                    {
                        var m = new double[2, 2];
                        return a[0, 0] + m[0, 1];
                    }
                }
                """
            ),
            (
                "a call to a [Differentiable] method that has a DG error: the caller's code calls a Backward that is never generated (CS0117)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double G(double x) { goto end; end: return x; }
                    [Differentiable] public static double F(double x) => G(x) * 2;
                }
                """
            ),
            (
                "the length of a row of jagged [NoDiff] data: rows[r].Length reads an undeclared 'rowsElement' (CS0103)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double w, [NoDiff] double[][] rows, [NoDiff] int n)
                    {
                        double s = 0;
                        for (int r = 0; r < n; r++)
                        {
                            s += w * rows[r][0] * rows[r].Length;
                        }

                        return s;
                    }
                }
                """
            ),
            (
                "verbatim identifiers: @in and @double are emitted without '@' (CS1001, CS1003 in generated code)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double Scale(double @in, double @double) => @in * @double;
                }
                """
            ),
            (
                "a verbatim type name: the hint name '@double.F.g.cs' is invalid (ArgumentException, CS8785)",
                """
                using DiffGen;
                public static partial class @double
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """
            ),
            (
                "a local named like an adjoint (dX for x): declared twice in the generated method (CS0136)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        double dX = x * 2;
                        return dX * x;
                    }
                }
                """
            ),
            (
                "a parameter named like a generated helper local (doubleStack) (CS0136, CS0019)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double[] w, [NoDiff] int n, double doubleStack)
                    {
                        double s = 0;
                        for (int i = 0; i < n; i++)
                        {
                            s = s * doubleStack + w[i];
                        }

                        return s;
                    }
                }
                """
            ),
            (
                "a parameter named like the generated Backward method: FBackward(FBackward, ...) (CS0149)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double FBackward) => FBackward * FBackward;
                }
                """
            ),
            (
                "a user type named Math in the model's namespace: generated code calls Math.Sin unqualified (CS0117)",
                """
                using DiffGen;
                namespace N
                {
                    public static class Math
                    {
                        public static double Twice(double v) => 2 * v;
                    }

                    public static partial class M
                    {
                        [Differentiable] public static double F(double x) => System.Math.Sin(x) * x;
                    }
                }
                """
            ),
            (
                "a user type named ArgumentException in the model's namespace: the generated length checks bind to it (CS1729)",
                """
                using DiffGen;
                namespace N
                {
                    public sealed class ArgumentException : System.Exception
                    {
                    }

                    public static partial class M
                    {
                        [Differentiable] public static double F(double[] w) => w[0] * w[1];
                    }
                }
                """
            ),
            (
                "a half-typed callee (attribute not closed): the caller's code calls its never-generated Backward (CS0117)",
                """
                using DiffGen;
                partial class M
                {
                    [Differentiable  static double G(double  {      }
                    [Differentiable] static double F(double x) => G(x) * 2;
                }
                """
            ),
            (
                "a half-typed generic type (N<T without '>'): the generated partial declaration does not parse (CS1003)",
                """
                using DiffGen;
                public static partial class M
                {
                    public partial struct N<T
                    {
                        [Differentiable] public static double F(double x) => x;
                    }
                }
                """
            ),
            (
                "a loop that never exits: the reverse sweep after it is unreachable (warning CS0162)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        for (;;)
                        {
                        }

                        return x * x;
                    }
                }
                """
            ),
            (
                "a parameter named Math: the generated Math.Sin/Math.Cos bind to the parameter (CS0176)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable] public static double F(double x, [NoDiff] double Math) => System.Math.Sin(x) * Math;
                }
                """
            ),
            (
                "a nested assignment of an inactive value (t = t = t * 2): the generated code assigns t to itself (warning CS1717)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double t)
                    {
                        for (int i = 0; i < 2; i++)
                        {
                            t = t = t * 2;
                        }

                        return x * t;
                    }
                }
                """
            ),
            (
                "a callee marked [Differentiable(Modes = DiffModes.Forward)] has no Backward, but reverse-mode callers call it (CS0117)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Forward)] public static double Square(double x) => x * x;

                    [Differentiable] public static double F(double x) => Square(x) + x;
                }
                """
            ),
            (
                "a type named like a generated method (class FGradient): member names cannot be the same as their type (CS0542)",
                """
                using DiffGen;
                public static partial class FGradient
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """
            ),
            (
                "a foreach variable named nameof: the generated nameof(dW) binds to it (CS0841)",
                """
                using System;
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(ReadOnlySpan<double> w, [NoDiff] double k)
                    {
                        double s = 0.0;
                        foreach (var nameof in w)
                        {
                            s += nameof * k;
                        }

                        return s;
                    }
                }
                """
            ),
            (
                "a local named dX reassigned in a nested block: its new version dX2 collides with a generated name (CS0136)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x)
                    {
                        double dX = x * 2;
                        {
                            dX = dX + 1;
                        }

                        return dX * x;
                    }
                }
                """
            ),
            (
                "a half-typed namespace name (namespace .): the generated namespace declaration does not parse (CS1001)",
                """
                using DiffGen;
                namespace .
                {
                    public static partial class M
                    {
                        [Differentiable] public static double F(double x) => x * x;
                    }
                }
                """
            ),
            (
                "a registered callee on [NoDiff] data whose result overwrites an active value in a loop: the reverse sweep passes an undeclared 'unusedData' (CS0103)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable]
                    public static double F(double x, [NoDiff] double[] data)
                    {
                        double s = 0;
                        foreach (var v in data)
                        {
                            s += x * v;
                            x = DiffMath.Sum(data);
                        }

                        return s;
                    }
                }
                """
            ),
            (
                "a parameter named j in Hessian mode: FHessian's symmetrising loop declared its own j (CS0136; fuzz seed 20261208, case 502)",
                """
                using DiffGen;
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double F(double j, double i, double value, double mean) => j * i * value * mean + j * j;
                }
                """
            ),
        };
    }
}
