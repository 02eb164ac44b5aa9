// Subscribes with the graphql-ws reference client to the server at argv[2] (ws://…/graphql/ws)
// with the token argv[3], runs the query argv[4] with the variables argv[5], and prints each
// result as a JSON line, then {"done": true} or {"error": …}.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variables] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: false,
  on: { closed: (event) => console.log(JSON.stringify({ closed: event.code ?? null })) },
});
client.subscribe(
  { query, variables: JSON.parse(variables || '{}') },
  {
    next: (value) => console.log(JSON.stringify({ next: value })),
    error: (error) => {
      console.log(JSON.stringify({ error: String(error?.code ?? error?.message ?? error) }));
      client.dispose();
    },
    complete: () => {
      console.log(JSON.stringify({ done: true }));
      client.dispose();
    },
  },
);
