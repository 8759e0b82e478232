@allure.label.epic:Sharing
Feature: Sharing a cut with guests
  Agency producers and studio admins share cuts with clients who have no portal account, through
  a share link. Whoever holds the link can watch, so a link is a key: it expires, it may ask for
  a password, it lets its holder download only when that was chosen, and the portal never keeps
  a copy of it. Guests watch without signing in, and the people who shared the cut see how often
  and when the link was opened.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3

  Rule: Admins and producers of the cut's organisation create links with an expiry, a permission and an optional password

    @allure.severity:critical
    Scenario: Unless Theo chooses otherwise, a link is for viewing only and works for 7 days
      When Theo shares the cut
      Then Theo receives the link, for viewing only, without a password
      And the link expires 7 days from now

    Scenario Outline: Theo chooses how long the link works: <expiry>
      When Theo shares the cut for <expiry>
      Then the link expires <expiry> from now

      Examples:
        | expiry  |
        | 1 hour  |
        | 30 days |

    Scenario: An expiry whose number of hours a client writes with a decimal point is that many hours
      When Theo shares the cut for 48 hours, the number written as 48.0
      Then the link expires 48 hours from now

    Scenario: Ada shares a studio cut for viewing and download, protected by a password
      Given Northlight Studio has the cut "Northlight showreel", version 1
      When Ada shares the cut "Northlight showreel" for viewing and download, with the password "lantern-harbour-7"
      Then Ada receives the link, for viewing and download, with a password

    @negative
    Scenario Outline: An expiry of <expiry> is refused
      When Theo tries to share the cut for <expiry>
      Then Theo is told to choose an expiry between 1 hour and 30 days
      And the cut has no share link

      Examples:
        | expiry  |
        | 0 hours |
        | 31 days |

  Rule: A link's key is shown once, when the link is made, and the portal keeps only a hash of it

    Scenario: Once made, a link is never shown again
      Given Theo has shared the cut with Gina
      When Theo looks at the links to the cut
      Then Theo sees the link listed without its key

    @security @allure.severity:critical
    Scenario: The portal keeps only a hash of the link's key
      When Theo shares the cut
      Then the key in the link is at least 256 bits long
      And the portal keeps only a hash of the link's key
      But the link's key itself is kept nowhere in the portal

  Rule: A guest opening a live link sees the cut without signing in

    @allure.severity:critical
    Scenario: Gina watches the cut without an account
      Given Theo has shared the cut with Gina
      When Gina opens the share link
      Then Gina sees "Harbour Lights", version 3, ready to play

    @mux
    Scenario: Gina's player streams the cut from Mux
      Given Gina has opened the link Theo shared with her
      When Gina starts the video
      Then Gina's player is sent to Mux for this cut, with a signed token that soon expires

    @mux
    Scenario: Gina's player shows the cut's thumbnail from Mux
      Given Gina has opened the link Theo shared with her
      When Gina loads the cut's thumbnail
      Then Gina's player is sent to Mux for this cut's thumbnail, with a signed token that soon expires

  Rule: Every view goes into the link's view log, whose count and latest time the link's owners see

    Scenario: Each view is written to the link's view log, with the guest's network address hashed
      Given Theo has shared the cut with Gina
      When Gina opens the share link
      Then the link's view log holds 1 view from Gina's browser
      And the view log keeps Gina's network address only as a hash

    Scenario: A browser that only asks for the page's headers has not viewed it
      Given Theo has shared the cut with Gina
      When Gina's browser asks only for the headers of the share page, then opens it
      Then the link's view log holds 1 view from Gina's browser

    Scenario: Theo sees how often the link was viewed and when it was last viewed
      Given Gina opened the link Theo shared with her yesterday, and again just now
      When Theo looks at the links to the cut
      Then Theo sees that the link was viewed 2 times, last just now

  Rule: A guest downloads only when the link allows it, and a refused download never reveals where the file is

    @mux
    Scenario: A link for viewing and download lets Gina download the cut
      Given Theo has shared the cut with Gina for viewing and download
      When Gina downloads the cut
      Then Gina is sent to the cut's MP4 file at Mux, with a signed token that soon expires

    Scenario: A link for viewing only offers no download
      Given Theo has shared the cut with Gina for viewing only
      When Gina opens the share link
      Then Gina sees "Harbour Lights", version 3, ready to play
      But Gina is offered no download

    @negative @security
    Scenario: Downloading through a link for viewing only is refused without revealing where the file is
      Given Theo has shared the cut with Gina for viewing only
      When Gina downloads the cut
      Then Gina is told the link is for watching only
      And nothing in the answer reveals where the cut's file is stored
