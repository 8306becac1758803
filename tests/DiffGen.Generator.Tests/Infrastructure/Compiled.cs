using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;
using Xunit.Sdk;

namespace DiffGen.Generator.Tests.Infrastructure
{
    /// <summary>The value and the adjoints returned by a generated Gradient or Backward method.</summary>
    public sealed record GradientResult(double Value, double[] Adjoints, string[] AdjointNames, int[] ActiveIndices)
    {
        public double this[string adjointName]
        {
            get
            {
                int i = Array.IndexOf(AdjointNames, adjointName);
                if (i < 0)
                {
                    throw new XunitException($"No adjoint '{adjointName}'; the generated method has [{string.Join(", ", AdjointNames)}]");
                }

                return Adjoints[i];
            }
        }
    }

    /// <summary>
    /// A compiled test program (from <see cref="GeneratorHarness.Load"/>) with reflection helpers to call scalar
    /// [Differentiable] methods and their generated Gradient / Backward methods. Inputs are given as doubles and
    /// converted to each parameter's type (float, int, bool), so one helper serves every scalar signature.
    /// </summary>
    public sealed class Compiled
    {
        private readonly ConcurrentDictionary<string, Type> _types = new();

        public Compiled(Assembly assembly)
        {
            Assembly = assembly;
        }

        public Assembly Assembly { get; }

        public static Compiled Load(params string[] sources) => new(GeneratorHarness.Load(sources));

        public Type Type(string name) => _types.GetOrAdd(name, n => Assembly.GetType(n) ?? throw new XunitException($"Type {n} not found in the compiled test program"));

        public MethodInfo Method(string type, string name, int parameterCount = -1)
        {
            var candidates = Type(type).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(m => m.Name == name && (parameterCount < 0 || m.GetParameters().Length == parameterCount))
                .ToList();
            if (candidates.Count != 1)
            {
                throw new XunitException($"Expected one method {type}.{name} (parameters: {parameterCount}), found {candidates.Count}");
            }

            return candidates[0];
        }

        /// <summary>Invokes a static method with the arguments as given (no conversion); unwraps TargetInvocationException.</summary>
        public object? Invoke(string type, string method, params object?[] args) => Call(Method(type, method, args.Length), args);

        /// <summary>Calls the primal method, converting the double inputs to its parameter types.</summary>
        public double Value(string type, string method, params double[] inputs)
        {
            var m = Method(type, method, inputs.Length);
            var args = Convert(m.GetParameters(), inputs);
            return ToDouble(Call(m, args));
        }

        public Func<double[], double> Primal(string type, string method)
        {
            return x => Value(type, method, x);
        }

        /// <summary>Calls <c>{method}Gradient</c>: the inputs, then one out adjoint per active parameter.</summary>
        public GradientResult Gradient(string type, string method, params double[] inputs)
        {
            var m = Method(type, method + "Gradient");
            var ps = m.GetParameters();
            var args = new object?[ps.Length];
            Array.Copy(Convert(ps.Take(inputs.Length).ToArray(), inputs), args, inputs.Length);
            object? value = Call(m, args);
            return Result(type, method, ps, args, inputs.Length, inputs.Length, value);
        }

        /// <summary>Calls <c>{method}Backward</c>: the inputs, the seed, then the ref adjoints starting at <paramref name="initial"/>.</summary>
        public GradientResult Backward(string type, string method, double[] inputs, double seed, double[] initial)
        {
            var m = Method(type, method + "Backward");
            var ps = m.GetParameters();
            var args = new object?[ps.Length];
            Array.Copy(Convert(ps.Take(inputs.Length).ToArray(), inputs), args, inputs.Length);
            args[inputs.Length] = ConvertOne(ps[inputs.Length].ParameterType, seed);
            int adjoints = ps.Length - inputs.Length - 1;
            if (initial.Length != adjoints)
            {
                throw new XunitException($"{method}Backward has {adjoints} adjoints, {initial.Length} initial values given");
            }

            for (int i = 0; i < adjoints; i++)
            {
                args[inputs.Length + 1 + i] = ConvertOne(ps[inputs.Length + 1 + i].ParameterType.GetElementType()!, initial[i]);
            }

            object? value = Call(m, args);
            return Result(type, method, ps, args, inputs.Length + 1, inputs.Length, value);
        }

        /// <summary>
        /// The standard check of a scalar method at one point: the Gradient's value equals the primal's, every adjoint
        /// matches central differences of the primal, and (when given) the closed-form gradient over the active parameters.
        /// </summary>
        public GradientResult Check(string type, string method, double[] x, Func<double[], double[]>? closedForm = null)
        {
            var g = Gradient(type, method, x);
            var f = Primal(type, method);
            double value = f(x);
            Numeric.Exact(value, g.Value, $"{method} value at [{string.Join(", ", x)}]");

            if (closedForm is not null)
            {
                var expected = closedForm(x);
                if (expected.Length != g.Adjoints.Length)
                {
                    throw new XunitException($"{method}: closed form has {expected.Length} components, generated gradient {g.Adjoints.Length}");
                }

                for (int i = 0; i < expected.Length; i++)
                {
                    Numeric.Exact(expected[i], g.Adjoints[i], $"{method}: {g.AdjointNames[i]} (closed form) at [{string.Join(", ", x)}]");
                }
            }

            for (int i = 0; i < g.Adjoints.Length; i++)
            {
                int p = g.ActiveIndices[i];
                double fd = Numeric.Central(f, x, p);
                Numeric.Fd(fd, g.Adjoints[i], value, $"{method}: {g.AdjointNames[i]} (finite difference) at [{string.Join(", ", x)}]");
            }

            return g;
        }

        /// <summary>
        /// <see cref="Check"/> for float methods. The closed form (evaluated in double at the float inputs) is compared
        /// with 2e-5·max(1, |g|): float arithmetic carries ≈ 6e-8 relative rounding per operation, and these rules
        /// take a handful of operations. Finite differences use the float primal with h = 1e-3·max(1, |x|): rounding
        /// then contributes ≈ ε·|f|/h ≈ 1.2e-4·|f| and truncation h²·|f‴|/6 ≈ 2e-7·|f‴|, so the tolerance is
        /// 2e-3·(1 + |g| + |f|).
        /// </summary>
        public GradientResult CheckFloat(string type, string method, double[] x, Func<double[], double[]>? closedForm = null)
        {
            var g = Gradient(type, method, x);
            double value = Value(type, method, x);
            Numeric.Close(value, g.Value, 1e-6 * Math.Max(1, Math.Abs(value)), $"{method} value at [{string.Join(", ", x)}]");

            if (closedForm is not null)
            {
                var expected = closedForm(x.Select(v => (double)(float)v).ToArray());
                for (int i = 0; i < expected.Length; i++)
                {
                    Numeric.Close(expected[i], g.Adjoints[i], 2e-5 * Math.Max(1, Math.Abs(expected[i])),
                        $"{method}: {g.AdjointNames[i]} (closed form) at [{string.Join(", ", x)}]");
                }
            }

            var m = Method(type, method, x.Length);
            var ps = m.GetParameters();
            float F(float[] v) => (float)Call(m, Convert(ps, v.Select(e => (double)e).ToArray()))!;
            var xf = x.Select(v => (float)v).ToArray();
            for (int i = 0; i < g.Adjoints.Length; i++)
            {
                double fd = Numeric.CentralFloat(F, xf, g.ActiveIndices[i]);
                Numeric.Close(fd, g.Adjoints[i], 2e-3 * (1 + Math.Abs(g.Adjoints[i]) + Math.Abs(value)),
                    $"{method}: {g.AdjointNames[i]} (finite difference, float) at [{string.Join(", ", x)}]");
            }

            return g;
        }

        private GradientResult Result(string type, string method, ParameterInfo[] ps, object?[] args, int firstAdjoint, int primalCount, object? value)
        {
            var primal = Method(type, method, primalCount).GetParameters();
            int count = ps.Length - firstAdjoint;
            var adjoints = new double[count];
            var names = new string[count];
            var active = new int[count];
            for (int i = 0; i < count; i++)
            {
                adjoints[i] = ToDouble(args[firstAdjoint + i]);
                names[i] = ps[firstAdjoint + i].Name!;
                active[i] = Array.FindIndex(primal, p => AdjointName(p.Name!) == names[i]);
                if (active[i] < 0)
                {
                    throw new XunitException($"Adjoint {names[i]} of {method} matches no parameter");
                }
            }

            return new GradientResult(ToDouble(value), adjoints, names, active);
        }

        public static string AdjointName(string parameter) => "d" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);

        private static object?[] Convert(ParameterInfo[] ps, double[] inputs)
        {
            if (ps.Length != inputs.Length)
            {
                throw new XunitException($"Expected {ps.Length} inputs, got {inputs.Length}");
            }

            var args = new object?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                args[i] = ConvertOne(ps[i].ParameterType, inputs[i]);
            }

            return args;
        }

        private static object ConvertOne(Type t, double v)
        {
            if (t == typeof(double))
            {
                return v;
            }

            if (t == typeof(float))
            {
                return (float)v;
            }

            if (t == typeof(int))
            {
                return checked((int)v);
            }

            if (t == typeof(long))
            {
                return checked((long)v);
            }

            if (t == typeof(short))
            {
                return checked((short)v);
            }

            if (t == typeof(byte))
            {
                return checked((byte)v);
            }

            if (t == typeof(bool))
            {
                return v != 0;
            }

            throw new XunitException($"Cannot pass a scalar as {t}");
        }

        private static double ToDouble(object? o) => o switch
        {
            double d => d,
            float f => f,
            _ => throw new XunitException($"Expected a double or float, got {o?.GetType().Name ?? "null"}"),
        };

        private static object? Call(MethodInfo m, object?[] args)
        {
            try
            {
                return m.Invoke(null, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
