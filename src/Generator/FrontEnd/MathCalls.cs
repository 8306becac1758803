using System;
using DiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>Recognises calls to System.Math and System.MathF that have a built-in derivative rule.</summary>
    internal static class MathCalls
    {
        public static MathFunction Recognise(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type is null || type.ContainingNamespace?.ToDisplayString() != "System" || (type.Name != "Math" && type.Name != "MathF"))
            {
                return MathFunction.None;
            }

            if (!Enum.TryParse<MathFunction>(method.Name, out var function) || function == MathFunction.None)
            {
                return MathFunction.None;
            }

            // Only the real-valued overloads: Math.Round(x, digits), Math.Log(x, b) and friends are matched by arity.
            int arity = method.Parameters.Length;
            bool ok = function switch
            {
                MathFunction.Atan2 or MathFunction.Pow or MathFunction.Max or MathFunction.Min or MathFunction.ScaleB => arity == 2,
                MathFunction.Log => arity is 1 or 2,
                MathFunction.Clamp or MathFunction.FusedMultiplyAdd => arity == 3,
                _ => arity == 1,
            };
            return ok ? function : MathFunction.None;
        }

        public static bool IsPiecewiseConstant(MathFunction function) => function is
            MathFunction.Floor or MathFunction.Ceiling or MathFunction.Round or MathFunction.Truncate or MathFunction.Sign;
    }
}
