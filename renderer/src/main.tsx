// Starts the GUI: connects to the agent through whichever transport this page has, then renders.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { AgentProvider } from './state/agent-context.js';
import { applyTheme, storedTheme } from './state/theme.js';
import { connectToAgent } from './transport/connect.js';
import './styles.css';

applyTheme(storedTheme()); // before the first paint, so a dark-mode user never sees a white flash
const connection = connectToAgent();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AgentProvider connection={connection}>
      <App />
    </AgentProvider>
  </StrictMode>,
);
