using System;
using System.Diagnostics.CodeAnalysis;

namespace DiffGen
{
    /// <summary>
    /// Argument checks shared by the runtime. The throwing parts live in separate, never-inlined methods so the
    /// callers' hot paths stay small and allocation-free: only a failing call builds a message string.
    /// </summary>
    internal static class Guard
    {
        /// <summary>Throws when <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
        internal static void Length(int expected, int actual, string paramName)
        {
            if (actual != expected)
            {
                ThrowLength(expected, actual, paramName);
            }
        }

        /// <summary>Throws when the span is empty (a mean over no elements has no value).</summary>
        internal static void NotEmpty(int length, string paramName)
        {
            if (length == 0)
            {
                ThrowEmpty(paramName);
            }
        }

        [DoesNotReturn]
        private static void ThrowLength(int expected, int actual, string paramName)
        {
            throw new ArgumentException(
                $"'{paramName}' has length {actual} but length {expected} was expected.", paramName);
        }

        [DoesNotReturn]
        private static void ThrowEmpty(string paramName)
        {
            throw new ArgumentException($"'{paramName}' must not be empty.", paramName);
        }
    }
}
