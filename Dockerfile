# Build a wheel with everything the bot needs, then run it from a slim image as a non-root user.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY knowledge knowledge
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8080
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 coopera
USER coopera
WORKDIR /home/coopera
EXPOSE 8080
# In webhook mode this asks GET /healthz; in polling mode it checks the database.
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 CMD ["coopera", "health"]
ENTRYPOINT ["coopera"]
CMD ["run"]
