"""A loopback TCP proxy that a test cuts, restores or points at another server.

It stands between a real client and a real server (PostgreSQL, the action server, Rasa), so that a
test can make the server unreachable — connections refused, open ones dropped — without stopping
it, or hand the same address to another process.
"""

from __future__ import annotations

import asyncio
import threading

from tests.support.processes import free_port


class TcpProxy:
    """Forwards ``port`` to ``target`` on loopback once ``up()``; ``cut()`` refuses and drops."""

    def __init__(self, target: int, port: int | None = None) -> None:
        self.port = port or free_port()
        self.target = target
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def up(self) -> TcpProxy:
        async def start() -> None:
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        self._run(start())
        return self

    def cut(self) -> None:
        async def stop() -> None:
            if self.server is not None:
                self.server.close()
                await self.server.wait_closed()
                self.server = None
            for writer in self.writers:
                writer.close()
            self.writers.clear()

        self._run(stop())

    def retarget(self, target: int) -> None:
        """New connections go to ``target``; open ones stay where they were."""
        self.target = target

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
